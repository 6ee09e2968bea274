from profdev.api.base import ScopedModelViewSet, ScopedReadOnlyViewSet
from profdev.orgs.api.serializers import (
    MunicipalitySerializer,
    OrganizationSerializer,
    RegionSerializer,
)
from profdev.orgs.filtersets import MunicipalityFilterSet, OrganizationFilterSet
from profdev.orgs.models import Municipality, Organization, Region


class RegionViewSet(ScopedReadOnlyViewSet):
    """Regions in the user's scope."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer


class MunicipalityViewSet(ScopedReadOnlyViewSet):
    """Municipalities in the user's scope."""

    queryset = Municipality.objects.all()
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilterSet
    ordering_fields = ["name", "id"]


class OrganizationViewSet(ScopedModelViewSet):
    """Educational organizations in the user's scope."""

    queryset = Organization.objects.select_related("municipality")
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    ordering_fields = ["name", "id", "inn"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
