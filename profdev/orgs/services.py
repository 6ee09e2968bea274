"""Writes to the organization tree."""

from typing import Any

from django.db import transaction

from profdev.orgs.models import Organization


@transaction.atomic
def organization_save(*, organization: Organization, user: Any = None) -> Organization:
    """Validate and save an organization; its region follows its municipality."""
    if organization.municipality_id:
        organization.region_id = organization.municipality.region_id
    organization.full_clean()
    if user is not None and user.is_authenticated:
        organization._history_user = user  # type: ignore[attr-defined]
    organization.save()
    return organization
