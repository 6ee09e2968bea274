"""Reads of people: teacher lists with their current place of work."""

import datetime
from typing import Any

from django.db.models import Case, Exists, OuterRef, QuerySet, Subquery, Value, When

from profdev.orgs.scoping import Action, Scope
from profdev.people.choices import EmploymentKind
from profdev.people.models import (
    CenterStaff,
    Employment,
    Teacher,
    active_employment_q,
    young_specialist_cutoff,
)


def current_employments(on: datetime.date | None = None) -> QuerySet[Employment]:
    """Employments active on a date, the main one first."""
    return Employment.objects.filter(active_employment_q(on=on)).order_by(
        Case(When(kind=EmploymentKind.MAIN, then=Value(0)), default=Value(1)), "-start_date"
    )


def teacher_list(*, user: Any = None, scope: Scope | None = None) -> QuerySet[Teacher]:
    """Teachers in scope, annotated with the organization and position of their main current job."""
    queryset = (
        Teacher.objects.for_scope(scope, Action.VIEW)
        if scope is not None
        else Teacher.objects.for_user(user, Action.VIEW)
    )
    current = current_employments().filter(teacher=OuterRef("pk"))
    return queryset.annotate(
        organization_name=Subquery(current.values("organization__short_name")[:1]),
        organization_id=Subquery(current.values("organization_id")[:1]),
        municipality_name=Subquery(current.values("organization__municipality__name")[:1]),
        position=Subquery(current.values("position")[:1]),
        is_young=Case(
            When(career_start__gt=young_specialist_cutoff(), then=Value(True)), default=Value(False)
        ),
        is_manager=Exists(current.filter(is_management=True)),
    )


def teacher_employments(*, teacher: Teacher, user: Any) -> QuerySet[Employment]:
    """A teacher's employments that the user may see, newest first."""
    return (
        Employment.objects.for_user(user)
        .filter(teacher=teacher)
        .select_related("organization", "organization__municipality")
        .order_by("-start_date")
    )


def staff_list(*, user: Any) -> QuerySet[CenterStaff]:
    return CenterStaff.objects.for_user(user).select_related("organization")
