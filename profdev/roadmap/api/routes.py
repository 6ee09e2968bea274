from rest_framework.routers import DefaultRouter

from profdev.roadmap.api.views import (
    ActivityViewSet,
    CampaignViewSet,
    ProgramViewSet,
    ReportViewSet,
)


def register(router: DefaultRouter) -> None:
    router.register("roadmap/programs", ProgramViewSet, basename="roadmap-program")
    router.register("roadmap/activities", ActivityViewSet, basename="roadmap-activity")
    router.register("roadmap/campaigns", CampaignViewSet, basename="roadmap-campaign")
    router.register("roadmap/reports", ReportViewSet, basename="roadmap-report")
