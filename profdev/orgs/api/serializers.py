from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from profdev.api.fields import ScopedPrimaryKeyRelatedField, validation_error_from_django
from profdev.orgs import services
from profdev.orgs.models import Municipality, Organization, Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "code"]


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["id", "region", "name", "kind", "oktmo"]


class OrganizationSerializer(serializers.ModelSerializer):
    region = ScopedPrimaryKeyRelatedField(queryset=Region.objects.all(), required=False)
    municipality = ScopedPrimaryKeyRelatedField(queryset=Municipality.objects.all())

    class Meta:
        model = Organization
        fields = [
            "id",
            "region",
            "municipality",
            "name",
            "short_name",
            "kind",
            "founder",
            "inn",
            "ogrn",
            "address",
            "low_results",
            "is_center",
            "is_active",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        municipality = attrs.get("municipality") or getattr(self.instance, "municipality", None)
        region = attrs.get("region")
        if region and municipality and municipality.region_id != region.pk:
            raise serializers.ValidationError(
                {
                    "municipality": _("Муниципалитет «%(m)s» относится к другому региону.")
                    % {"m": municipality}
                }
            )
        return attrs

    def _save(self, organization: Organization) -> Organization:
        try:
            return services.organization_save(
                organization=organization, user=self.context["request"].user
            )
        except DjangoValidationError as error:
            raise validation_error_from_django(error) from error

    def create(self, validated_data: dict[str, Any]) -> Organization:
        return self._save(Organization(**validated_data))

    def update(self, instance: Organization, validated_data: dict[str, Any]) -> Organization:
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._save(instance)
