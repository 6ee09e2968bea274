from rest_framework.routers import DefaultRouter

from profdev.orgs.api.views import MunicipalityViewSet, OrganizationViewSet, RegionViewSet


def register(router: DefaultRouter) -> None:
    router.register("regions", RegionViewSet, basename="region")
    router.register("municipalities", MunicipalityViewSet, basename="municipality")
    router.register("organizations", OrganizationViewSet, basename="organization")
