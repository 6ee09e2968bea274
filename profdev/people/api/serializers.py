from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from profdev.api.fields import ScopedPrimaryKeyRelatedField, validation_error_from_django
from profdev.common.identifiers import normalize_snils, snils_error
from profdev.orgs.models import Organization
from profdev.people import services
from profdev.people.choices import EmploymentKind, Position
from profdev.people.models import CenterStaff, Employment, Subject, Teacher


class TeacherLookupSerializer(serializers.Serializer):
    """The body of a SNILS lookup: the number in any usual form."""

    snils = serializers.CharField(
        max_length=20, help_text=gettext_lazy("СНИЛС, например 112-233-445 95")
    )

    def validate_snils(self, value: str) -> str:
        error = snils_error(value)
        if error:
            raise serializers.ValidationError(error)
        return normalize_snils(value)


class TeacherSerializer(serializers.ModelSerializer):
    """A teacher; SNILS is write-only and shown masked. On create, the first employment is required."""

    snils = serializers.CharField(write_only=True, max_length=20)
    snils_masked = serializers.CharField(read_only=True)
    is_young_specialist = serializers.BooleanField(read_only=True)
    subjects = serializers.PrimaryKeyRelatedField(
        queryset=Subject.objects.all(), many=True, required=False
    )
    organization = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        write_only=True,
        required=False,
        help_text=gettext_lazy("Организация первого места работы (обязательна при создании)"),
    )
    position = serializers.ChoiceField(choices=Position.choices, write_only=True, required=False)
    start_date = serializers.DateField(write_only=True, required=False)
    employment_kind = serializers.ChoiceField(
        choices=EmploymentKind.choices, write_only=True, required=False
    )

    class Meta:
        model = Teacher
        fields = [
            "id",
            "last_name",
            "first_name",
            "middle_name",
            "snils",
            "snils_masked",
            "subjects",
            "qualification_category",
            "career_start",
            "email",
            "is_young_specialist",
            "organization",
            "position",
            "start_date",
            "employment_kind",
        ]

    def validate_snils(self, value: str) -> str:
        error = snils_error(value)
        if error:
            raise serializers.ValidationError(error)
        digits = normalize_snils(value)
        duplicates = Teacher.objects.filter(snils=digits)
        if self.instance is not None:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise serializers.ValidationError(_("Педагог с таким СНИЛС уже есть в реестре."))
        return digits

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            missing = {
                name: _("Обязательное поле при создании педагога.")
                for name in ("organization", "start_date")
                if not attrs.get(name)
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Teacher:
        user = self.context["request"].user
        employment_kind = validated_data.pop("employment_kind", EmploymentKind.MAIN)
        try:
            return services.teacher_create(
                user=user,
                employment_kind=employment_kind,
                position=validated_data.pop("position", Position.TEACHER),
                **validated_data,
            )
        except DjangoValidationError as error:
            raise validation_error_from_django(error) from error

    def update(self, instance: Teacher, validated_data: dict[str, Any]) -> Teacher:
        for name in ("organization", "position", "start_date", "employment_kind"):
            validated_data.pop(name, None)
        subjects = validated_data.pop("subjects", None)
        try:
            return services.teacher_update(
                user=self.context["request"].user,
                teacher=instance,
                subjects=subjects,
                **validated_data,
            )
        except DjangoValidationError as error:
            raise validation_error_from_django(error) from error


class EmploymentSerializer(serializers.ModelSerializer):
    teacher = ScopedPrimaryKeyRelatedField(queryset=Teacher.objects.all())
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    is_management = serializers.BooleanField(required=False, allow_null=True, default=None)

    class Meta:
        model = Employment
        fields = [
            "id",
            "teacher",
            "organization",
            "position",
            "is_management",
            "kind",
            "start_date",
            "end_date",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("start_date") or getattr(self.instance, "start_date", None)
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": _("Дата окончания работы не может быть раньше даты начала.")}
            )
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Employment:
        try:
            return services.employment_create(user=self.context["request"].user, **validated_data)
        except DjangoValidationError as error:
            raise validation_error_from_django(error) from error

    def update(self, instance: Employment, validated_data: dict[str, Any]) -> Employment:
        if validated_data.get("is_management") is None:
            validated_data.pop("is_management", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise validation_error_from_django(error) from error
        instance.save()
        return instance


class CenterStaffSerializer(serializers.ModelSerializer):
    class Meta:
        model = CenterStaff
        fields = [
            "id",
            "last_name",
            "first_name",
            "middle_name",
            "organization",
            "position",
            "start_date",
            "end_date",
        ]
