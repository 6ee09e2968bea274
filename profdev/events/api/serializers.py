from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers

from profdev.api.fields import ScopedPrimaryKeyRelatedField, validation_error_from_django
from profdev.events import services
from profdev.events.models import Event, EventParticipation
from profdev.learning.models import CompetenceArea
from profdev.orgs.models import Municipality, Organization
from profdev.people.models import Teacher


def _call(function: Any, **kwargs: Any) -> Any:
    """Run a service, turning its errors into DRF's."""
    try:
        return function(**kwargs)
    except DjangoValidationError as error:
        raise validation_error_from_django(error) from error
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error)) from error


class EventSerializer(serializers.ModelSerializer):
    """An event; the region is taken from the municipality or the user."""

    municipality = ScopedPrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    organizer_organization = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    participant_count = serializers.IntegerField(required=False, allow_null=True)
    listed_count = serializers.IntegerField(read_only=True)
    areas = serializers.PrimaryKeyRelatedField(
        queryset=CompetenceArea.objects.all(),
        many=True,
        required=False,
        help_text=_("Области компетенций, дефициты в которых восполняет мероприятие."),
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "kind",
            "level",
            "start_date",
            "end_date",
            "format",
            "organizer",
            "organizer_organization",
            "description",
            "region",
            "municipality",
            "participant_count",
            "listed_count",
            "areas",
        ]
        read_only_fields = ["region"]

    def create(self, validated_data: dict[str, Any]) -> Event:
        event: Event = _call(
            services.event_create, user=self.context["request"].user, **validated_data
        )
        event.listed_count = 0  # type: ignore[attr-defined]
        return event

    def update(self, instance: Event, validated_data: dict[str, Any]) -> Event:
        event: Event = _call(
            services.event_update,
            user=self.context["request"].user,
            event=instance,
            **validated_data,
        )
        return event


class EventParticipationSerializer(serializers.ModelSerializer):
    event = ScopedPrimaryKeyRelatedField(queryset=Event.objects.all())
    teacher = ScopedPrimaryKeyRelatedField(
        queryset=Teacher.objects.all(), required=False, allow_null=True
    )
    organization = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    participant_name = serializers.SerializerMethodField()

    class Meta:
        model = EventParticipation
        fields = ["id", "event", "teacher", "organization", "participant_name", "role"]
        validators: list[Any] = []  # the service checks uniqueness with a Russian message

    def get_participant_name(self, obj: EventParticipation) -> str:
        return str(obj.participant or "")

    def create(self, validated_data: dict[str, Any]) -> EventParticipation:
        participation: EventParticipation = _call(
            services.participation_add, user=self.context["request"].user, **validated_data
        )
        return participation

    def update(
        self, instance: EventParticipation, validated_data: dict[str, Any]
    ) -> EventParticipation:
        participation: EventParticipation = _call(
            services.participation_update,
            user=self.context["request"].user,
            participation=instance,
            role=validated_data.get("role", instance.role),
        )
        return participation
