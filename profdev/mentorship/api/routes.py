from rest_framework.routers import DefaultRouter

from profdev.mentorship.api.views import (
    CheckInViewSet,
    ManagementMentoringViewSet,
    MentorPairViewSet,
    TargetModelViewSet,
)


def register(router: DefaultRouter) -> None:
    router.register("mentorship/target-models", TargetModelViewSet, basename="target-model")
    router.register("mentorship/pairs", MentorPairViewSet, basename="mentor-pair")
    router.register("mentorship/check-ins", CheckInViewSet, basename="check-in")
    router.register(
        "mentorship/management", ManagementMentoringViewSet, basename="management-mentoring"
    )
