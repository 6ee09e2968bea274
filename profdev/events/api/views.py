from typing import Any

from django.db.models import QuerySet

from profdev.api.base import ScopedModelViewSet
from profdev.events import services
from profdev.events.api.serializers import EventParticipationSerializer, EventSerializer
from profdev.events.filtersets import EventFilterSet, EventParticipationFilterSet
from profdev.events.models import Event, EventParticipation
from profdev.events.selectors import visible_participant_count


class EventViewSet(ScopedModelViewSet):
    """Events seen by the user (everyone sees the events of their region)."""

    queryset = Event.objects.all()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet

    def get_base_queryset(self) -> QuerySet[Any]:
        return (
            Event.objects.select_related("region", "municipality")
            .prefetch_related("areas")
            .annotate(listed_count=visible_participant_count(user=self.request.user))
            .order_by("-start_date", "title")
        )

    def perform_destroy(self, instance: Event) -> None:
        services.event_delete(user=self.request.user, event=instance)


class EventParticipationViewSet(ScopedModelViewSet):
    """Participations of the user's own teachers and organizations."""

    queryset = EventParticipation.objects.select_related("event", "teacher", "organization")
    serializer_class = EventParticipationSerializer
    filterset_class = EventParticipationFilterSet

    def perform_destroy(self, instance: EventParticipation) -> None:
        services.participation_remove(user=self.request.user, participation=instance)
