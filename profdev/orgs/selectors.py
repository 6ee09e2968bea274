"""Reads of the organization tree."""

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from profdev.orgs.choices import OrganizationKind
from profdev.orgs.models import Municipality, Organization
from profdev.orgs.scoping import Action


def municipality_list(*, user: Any) -> QuerySet[Municipality]:
    """Municipalities in scope with their number of schools and currently employed teachers."""
    from profdev.people.models import Employment, active_employment_q

    teachers = (
        Employment.objects.filter(active_employment_q(), organization__municipality=OuterRef("pk"))
        .order_by()
        .values("organization__municipality")
        .annotate(n=Count("teacher", distinct=True))
        .values("n")
    )
    return (
        Municipality.objects.for_user(user, Action.VIEW)
        .select_related("region")
        .annotate(
            schools=Count("organizations", filter=Q(organizations__kind=OrganizationKind.SCHOOL)),
            teachers=Coalesce(Subquery(teachers), 0),
        )
    )


def organization_list(*, user: Any) -> QuerySet[Organization]:
    """Organizations in scope with their number of currently employed teachers."""
    from profdev.people.models import Employment, active_employment_q

    teachers = (
        Employment.objects.filter(active_employment_q(), organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(n=Count("teacher", distinct=True))
        .values("n")
    )
    return (
        Organization.objects.for_user(user, Action.VIEW)
        .select_related("municipality", "region")
        .annotate(teachers=Coalesce(Subquery(teachers), 0))
    )
