from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from profdev.orgs.scoping import Action


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key that accepts only records the requesting user may see."""

    def get_queryset(self) -> QuerySet[Any]:
        queryset: Any = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return queryset.for_user(user, Action.VIEW)


def validation_error_from_django(error: Any) -> serializers.ValidationError:
    """Turn a model ValidationError into DRF's, keeping the field names."""
    if hasattr(error, "message_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError(error.messages)
