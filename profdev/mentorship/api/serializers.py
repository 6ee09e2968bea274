from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers

from profdev.api.fields import ScopedPrimaryKeyRelatedField, validation_error_from_django
from profdev.mentorship import services
from profdev.mentorship.models import (
    CheckIn,
    ManagementMentoring,
    MentoringForm,
    MentorPair,
    TargetModel,
)
from profdev.orgs.models import Organization
from profdev.people.models import Teacher


def _call(function: Any, **kwargs: Any) -> Any:
    try:
        return function(**kwargs)
    except DjangoValidationError as error:
        raise validation_error_from_django(error) from error
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error)) from error


class TargetModelSerializer(serializers.ModelSerializer):
    """A school's target model (files are uploaded through the pages)."""

    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    curator = ScopedPrimaryKeyRelatedField(
        queryset=Teacher.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = TargetModel
        fields = [
            "id",
            "organization",
            "local_act_number",
            "local_act_date",
            "curator",
            "program_title",
            "program_start",
            "program_end",
        ]

    def save(self, **kwargs: Any) -> TargetModel:
        data = {**self.validated_data, **kwargs}
        if self.instance is not None:
            data.setdefault("organization", self.instance.organization)
        self.instance = _call(services.target_model_save, user=self.context["request"].user, **data)
        return self.instance


class MentorPairSerializer(serializers.ModelSerializer):
    """A mentor pair or group; creation goes through the same checks as the pages."""

    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    mentor = serializers.PrimaryKeyRelatedField(queryset=Teacher.objects.all())
    mentees = ScopedPrimaryKeyRelatedField(queryset=Teacher.objects.all(), many=True)
    form = serializers.PrimaryKeyRelatedField(queryset=MentoringForm.objects.filter(is_active=True))

    class Meta:
        model = MentorPair
        fields = [
            "id",
            "organization",
            "mentor",
            "mentees",
            "form",
            "start_date",
            "planned_end",
            "end_date",
            "goals",
            "status",
            "outcome",
            "mentee_self_assessment",
        ]
        read_only_fields = ["end_date"]

    def create(self, validated_data: dict[str, Any]) -> MentorPair:
        return _call(
            services.pair_create,
            user=self.context["request"].user,
            organization=validated_data["organization"],
            mentor=validated_data["mentor"],
            mentees=validated_data["mentees"],
            form=validated_data["form"],
            start_date=validated_data["start_date"],
            planned_end=validated_data["planned_end"],
            goals=validated_data.get("goals", ""),
        )

    def update(self, instance: MentorPair, validated_data: dict[str, Any]) -> MentorPair:
        validated_data.pop("organization", None)
        validated_data.pop("mentor", None)
        return _call(
            services.pair_update, user=self.context["request"].user, pair=instance, **validated_data
        )


class CheckInSerializer(serializers.ModelSerializer):
    pair = ScopedPrimaryKeyRelatedField(queryset=MentorPair.objects.all())

    class Meta:
        model = CheckIn
        fields = ["id", "pair", "date", "topic", "note"]

    def create(self, validated_data: dict[str, Any]) -> CheckIn:
        return _call(services.check_in_create, user=self.context["request"].user, **validated_data)


class ManagementMentoringSerializer(serializers.ModelSerializer):
    mentor_organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    mentee_organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    mentor_people = ScopedPrimaryKeyRelatedField(
        queryset=Teacher.objects.all(), many=True, required=False
    )
    mentee_people = ScopedPrimaryKeyRelatedField(
        queryset=Teacher.objects.all(), many=True, required=False
    )
    mentee_low_results = serializers.BooleanField(
        source="mentee_organization.low_results", read_only=True
    )

    class Meta:
        model = ManagementMentoring
        fields = [
            "id",
            "mentor_organization",
            "mentee_organization",
            "mentee_low_results",
            "start_date",
            "end_date",
            "status",
            "goals",
            "mentor_people",
            "mentee_people",
        ]

    def create(self, validated_data: dict[str, Any]) -> ManagementMentoring:
        return _call(
            services.management_mentoring_create,
            user=self.context["request"].user,
            **validated_data,
        )
