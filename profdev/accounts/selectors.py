"""What a user's home page summarises."""

from typing import Any

from profdev.orgs.choices import OrganizationKind
from profdev.orgs.models import Municipality, Organization
from profdev.people.models import Teacher


def home_summary(*, user: Any) -> dict[str, int]:
    """Counts of the registries within the user's scope."""
    return {
        "municipalities": Municipality.objects.for_user(user).count(),
        "schools": Organization.objects.for_user(user).filter(kind=OrganizationKind.SCHOOL).count(),
        "teachers": Teacher.objects.for_user(user).count(),
    }
