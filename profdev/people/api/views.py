from django.db.models import QuerySet

from profdev.api.base import ScopedModelViewSet, ScopedReadOnlyViewSet
from profdev.people.api.serializers import (
    CenterStaffSerializer,
    EmploymentSerializer,
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
