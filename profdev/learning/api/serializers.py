"""API serializers of the learning app; writes go through the services."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from profdev.api.fields import ScopedPrimaryKeyRelatedField, validation_error_from_django
from profdev.common.files import DownloadFileField
from profdev.events.models import Event
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


def _same_teacher(instance: Any, validated_data: dict[str, Any]) -> None:
    """A diagnostic or a route stays with its teacher; the field may be repeated as it is."""
    teacher = validated_data.pop("teacher", None)
    if teacher is not None and teacher.pk != instance.teacher_id:
        raise serializers.ValidationError({"teacher": [_("Педагога изменить нельзя.")]})


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

    def validate_scores(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not value:
            raise serializers.ValidationError(
                _("Укажите баллы хотя бы по одной области компетенций.")
            )
        areas = [item["area"] for item in value]
        repeated = sorted({area.name for area in areas if areas.count(area) > 1})
        if repeated:
            raise serializers.ValidationError(
                _("Балл по области указан дважды: %(areas)s.") % {"areas": ", ".join(repeated)}
            )
        return value

    def create(self, validated_data: dict[str, Any]) -> Diagnostic:
        scores = {item["area"]: item["score"] for item in validated_data.pop("scores")}
        return _call(
            services.diagnostic_create,
            user=self.context["request"].user,
            scores=scores,
            **validated_data,
        )

    def update(self, instance: Diagnostic, validated_data: dict[str, Any]) -> Diagnostic:
        _same_teacher(instance, validated_data)
        items = validated_data.pop("scores", None)
        scores = None if items is None else {item["area"]: item["score"] for item in items}
        return _call(
            services.diagnostic_update,
            user=self.context["request"].user,
            diagnostic=instance,
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

    def update(self, instance: Route, validated_data: dict[str, Any]) -> Route:
        _same_teacher(instance, validated_data)
        return _call(
            services.route_update,
            user=self.context["request"].user,
            route=instance,
            deficits=validated_data.pop("deficits", None),
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
    event = ScopedPrimaryKeyRelatedField(
        queryset=Event.objects.all(), required=False, allow_null=True
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
            "event",
            "evidence_file",
            "evidence_link",
        ]

    def create(self, validated_data: dict[str, Any]) -> RouteStep:
        return _call(
            services.route_step_create, user=self.context["request"].user, **validated_data
        )

    def update(self, instance: RouteStep, validated_data: dict[str, Any]) -> RouteStep:
        route = validated_data.pop("route", None)
        if route is not None and route.pk != instance.route_id:
            raise serializers.ValidationError(
                {"route": [_("Шаг нельзя перенести в другой маршрут.")]}
            )
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


class ProposedProgramSerializer(serializers.Serializer):
    program = serializers.IntegerField(source="program.pk")
    title = serializers.CharField(source="program.title")
    areas = serializers.SerializerMethodField()
    cohort = serializers.IntegerField(source="cohort.pk", allow_null=True, default=None)

    def get_areas(self, obj: Any) -> list[int]:
        return [area.pk for area in obj.areas]


class ProposedEventSerializer(serializers.Serializer):
    event = serializers.IntegerField(source="event.pk")
    title = serializers.CharField(source="event.title")
    start_date = serializers.DateField(source="event.start_date")
    end_date = serializers.DateField(source="event.end_date")
    areas = serializers.SerializerMethodField()

    def get_areas(self, obj: Any) -> list[int]:
        return [area.pk for area in obj.areas]


@extend_schema_serializer(component_name="RouteProposals")
class RouteProposalsSerializer(serializers.Serializer):
    programs = ProposedProgramSerializer(many=True)
    events = ProposedEventSerializer(many=True)


@extend_schema_serializer(component_name="RouteAddProposed")
class RouteAddProposedSerializer(serializers.Serializer):
    programs = ScopedPrimaryKeyRelatedField(
        queryset=Program.objects.all(), many=True, required=False
    )
    events = ScopedPrimaryKeyRelatedField(queryset=Event.objects.all(), many=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("programs") and not attrs.get("events"):
            raise serializers.ValidationError(_("Отметьте хотя бы один курс или мероприятие."))
        return attrs
