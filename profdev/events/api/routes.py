from rest_framework.routers import DefaultRouter

from profdev.events.api.views import EventParticipationViewSet, EventViewSet


def register(router: DefaultRouter) -> None:
    router.register("events", EventViewSet, basename="event")
    router.register(
        "event-participations", EventParticipationViewSet, basename="event-participation"
    )
