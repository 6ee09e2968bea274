"""API serializers of the learning app; writes go through the services."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from profdev.api.fields import ScopedPrimaryKeyRelatedField, validation_error_from_django
from profdev.common.files import DownloadFileField
from profdev.learning import services
from profdev.learning.choices import RouteStatus
from profdev.learning.models import (
    Cohort,
    CompetenceArea,
    Diagnostic,
    DiagnosticScore,
    Enrollment,
    Program,
    Route,
    RouteStep,
    RouteTransition,
    StaffTraining,
)
from profdev.people.models import CenterStaff, Teacher


def _call(function: Any, **kwargs: Any) -> Any:
    try:
        return function(**kwargs)
    except DjangoValidationError as error:
        raise validation_error_from_django(error) from error


class CompetenceAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetenceArea
        fields = ["id", "code", "name", "threshold", "order"]


class ProgramSerializer(serializers.ModelSerializer):
    areas = serializers.PrimaryKeyRelatedField(
        queryset=CompetenceArea.objects.all(), many=True, required=False
    )

    class Meta:
        model = Program
        fields = [
            "id",
            "title",
            "hours",
            "format",
            "audience",
            "in_federal_registry",
            "federal_registry_number",
            "provider",
            "provider_name",
            "description",
            "areas",
            "region",
        ]
        read_only_fields = ["region"]

    def create(self, validated_data: dict[str, Any]) -> Program:
        areas = validated_data.pop("areas", [])
        return _call(
            services.program_create,
            user=self.context["request"].user,
            areas=areas,
            **validated_data,
        )

    def update(self, instance: Program, validated_data: dict[str, Any]) -> Program:
        areas = validated_data.pop("areas", None)
        return _call(
            services.program_update,
            user=self.context["request"].user,
            program=instance,
            areas=areas,
            **validated_data,
        )


class CohortSerializer(serializers.ModelSerializer):
    program = ScopedPrimaryKeyRelatedField(queryset=Program.objects.all())

    class Meta:
        model = Cohort
        fields = ["id", "program", "title", "start_date", "end_date"]

    def create(self, validated_data: dict[str, Any]) -> Cohort:
        return _call(services.cohort_create, user=self.context["request"].user, **validated_data)


class EnrollmentSerializer(serializers.ModelSerializer):
    cohort = ScopedPrimaryKeyRelatedField(queryset=Cohort.objects.all())
    teacher = ScopedPrimaryKeyRelatedField(queryset=Teacher.objects.all())
    program = serializers.IntegerField(source="cohort.program_id", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "cohort",
            "program",
            "teacher",
            "status",
            "completion_date",
            "certificate_number",
        ]
        read_only_fields = ["status", "completion_date", "certificate_number"]
        validators: list[Any] = []  # the service says "already enrolled" in Russian

    def create(self, validated_data: dict[str, Any]) -> Enrollment:
        return _call(
            services.enrollment_create, user=self.context["request"].user, **validated_data
        )


class EnrollmentCompleteSerializer(serializers.Serializer):
    completion_date = serializers.DateField()
    certificate_number = serializers.CharField(max_length=64, required=False, allow_blank=True)


class DiagnosticScoreSerializer(serializers.ModelSerializer):
    area = serializers.PrimaryKeyRelatedField(queryset=CompetenceArea.objects.all())
    is_deficit = serializers.BooleanField(read_only=True)

    class Meta:
        model = DiagnosticScore
        fields = ["area", "score", "threshold", "is_deficit"]
        read_only_fields = ["threshold"]


class DiagnosticSerializer(serializers.ModelSerializer):
    teacher = ScopedPrimaryKeyRelatedField(queryset=Teacher.objects.all())
    conducted_by = ScopedPrimaryKeyRelatedField(
        queryset=CenterStaff.objects.all(), required=False, allow_null=True
    )
    scores = DiagnosticScoreSerializer(many=True)

    class Meta:
        model = Diagnostic
        fields = ["id", "teacher", "conducted_on", "instrument", "conducted_by", "notes", "scores"]

    def create(self, validated_data: dict[str, Any]) -> Diagnostic:
        scores = {item["area"]: item["score"] for item in validated_data.pop("scores")}
        return _call(
            services.diagnostic_create,
            user=self.context["request"].user,
            scores=scores,
            **validated_data,
        )


class RouteTransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RouteTransition
        fields = ["from_status", "to_status", "changed_by", "changed_at", "changed_on", "comment"]


class RouteSerializer(serializers.ModelSerializer):
    teacher = ScopedPrimaryKeyRelatedField(queryset=Teacher.objects.all())
    methodist = ScopedPrimaryKeyRelatedField(
        queryset=CenterStaff.objects.all(), required=False, allow_null=True
    )
    diagnostic = ScopedPrimaryKeyRelatedField(
        queryset=Diagnostic.objects.all(), required=False, allow_null=True
    )
    deficits = serializers.PrimaryKeyRelatedField(
        queryset=CompetenceArea.objects.all(), many=True, required=False
    )
    transitions = RouteTransitionSerializer(many=True, read_only=True)

    class Meta:
        model = Route
        fields = [
            "id",
            "teacher",
            "methodist",
            "developed_on",
            "planned_end",
            "status",
            "diagnostic",
            "deficits",
            "notes",
            "transitions",
        ]
        read_only_fields = ["status"]

    def create(self, validated_data: dict[str, Any]) -> Route:
        deficits = validated_data.pop("deficits", None)
        return _call(
            services.route_create,
            user=self.context["request"].user,
            deficits=deficits or None,
            **validated_data,
        )


@extend_schema_serializer(component_name="RouteTransitionAction")
class RouteTransitionRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RouteStatus.choices)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True)


class RouteStepSerializer(serializers.ModelSerializer):
    route = ScopedPrimaryKeyRelatedField(queryset=Route.objects.all())
    program = ScopedPrimaryKeyRelatedField(
        queryset=Program.objects.all(), required=False, allow_null=True
    )
    enrollment = ScopedPrimaryKeyRelatedField(
        queryset=Enrollment.objects.all(), required=False, allow_null=True
    )
    areas = serializers.PrimaryKeyRelatedField(
        queryset=CompetenceArea.objects.all(), many=True, required=False
    )
    evidence_file = DownloadFileField(required=False, allow_null=True)

    class Meta:
        model = RouteStep
        fields = [
            "id",
            "route",
            "kind",
            "title",
            "areas",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "status",
            "program",
            "enrollment",
            "evidence_file",
            "evidence_link",
        ]

    def create(self, validated_data: dict[str, Any]) -> RouteStep:
        return _call(
            services.route_step_create, user=self.context["request"].user, **validated_data
        )

    def update(self, instance: RouteStep, validated_data: dict[str, Any]) -> RouteStep:
        validated_data.pop("route", None)
        return _call(
            services.route_step_update,
            user=self.context["request"].user,
            step=instance,
            **validated_data,
        )


class StaffTrainingSerializer(serializers.ModelSerializer):
    staff = ScopedPrimaryKeyRelatedField(queryset=CenterStaff.objects.all())

    class Meta:
        model = StaffTraining
        fields = [
            "id",
            "staff",
            "program_title",
            "start_date",
            "end_date",
            "completed_on",
            "certificate_number",
        ]

    def create(self, validated_data: dict[str, Any]) -> StaffTraining:
        return _call(
            services.staff_training_create, user=self.context["request"].user, **validated_data
        )
