from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from profdev.api.base import ScopedModelViewSet, ScopedReadOnlyViewSet
from profdev.orgs.scoping import Action
from profdev.people.api.serializers import (
    CenterStaffSerializer,
    EmploymentSerializer,
    TeacherLookupSerializer,
    TeacherSerializer,
)
from profdev.people.filtersets import EmploymentFilterSet, StaffFilterSet, TeacherFilterSet
from profdev.people.models import CenterStaff, Employment, Teacher


class TeacherViewSet(ScopedModelViewSet):
    """Teachers employed in the user's scope (SNILS masked)."""

    queryset = Teacher.objects.all()
    serializer_class = TeacherSerializer
    filterset_class = TeacherFilterSet
    ordering_fields = ["last_name", "id", "career_start"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_base_queryset(self) -> QuerySet[Teacher]:
        return Teacher.objects.prefetch_related("subjects").order_by(
            "last_name", "first_name", "id"
        )

    @extend_schema(
        request=TeacherLookupSerializer,
        responses={200: TeacherSerializer(many=True)},
        summary="Find teachers by SNILS (in the body: a SNILS never goes in a URL)",
    )
    @action(detail=False, methods=["post"], url_path="lookup", permission_classes=[IsAuthenticated])
    def lookup(self, request: Request) -> Response:
        """Teachers the user may see whose SNILS is the one posted (shown masked, as everywhere)."""
        query = TeacherLookupSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        base: Any = self.get_base_queryset()
        teachers = base.for_user(request.user, Action.VIEW).filter(
            snils=query.validated_data["snils"]
        )
        return Response(TeacherSerializer(teachers, many=True).data)


class EmploymentViewSet(ScopedModelViewSet):
    """Employments at organizations in the user's scope."""

    queryset = Employment.objects.all()
    serializer_class = EmploymentSerializer
    filterset_class = EmploymentFilterSet
    ordering_fields = ["start_date", "id"]

    def get_base_queryset(self) -> QuerySet[Employment]:
        return Employment.objects.order_by("-start_date", "id")


class CenterStaffViewSet(ScopedReadOnlyViewSet):
    """The Center's staff."""

    queryset = CenterStaff.objects.order_by("last_name", "id")
    serializer_class = CenterStaffSerializer
    filterset_class = StaffFilterSet
