"""Reads of people: teacher lists with their current place of work."""

import datetime
from typing import Any

from django.db.models import Case, OuterRef, QuerySet, Subquery, Value, When

from profdev.orgs.scoping import Action, Level, Scope
from profdev.people.choices import EmploymentKind
from profdev.people.models import (
    CenterStaff,
    Employment,
    Teacher,
    TeacherPlace,
    active_employment_q,
    young_specialist_cutoff,
)

# Levels whose teacher list can be read in name order from TeacherPlace's indexes.
PLACE_LEVELS = {
    Level.REGION: "region_id",
    Level.MUNICIPALITY: "municipality_id",
    Level.ORGANIZATION: "organization_id",
}
NAME_ORDER = ("last_name", "first_name", "middle_name", "teacher_id")


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
    )


def _places_in(scope: Scope) -> QuerySet[TeacherPlace]:
    """Active places (employments) at the scope's node: the rows its teacher list comes from."""
    return TeacherPlace.objects.filter(
        active_employment_q(), **{PLACE_LEVELS[scope.level]: scope.node_id}
    )


def teacher_count_by_places(*, scope: Scope) -> int:
    """How many teachers hold an active employment at the scope's node (one index range).

    Distinct on the name and the id (a teacher's places all carry their name), so PostgreSQL
    counts along the index order instead of hashing every id of the region (2× faster).
    """
    return _places_in(scope).values_list(*NAME_ORDER).distinct().count()


def teacher_ids_by_name(
    *, scope: Scope, start: int, stop: int, descending: bool = False
) -> list[int]:
    """Ids of the teachers at positions start..stop of the scope's list in name order.

    Read from one index range of TeacherPlace (node, last name, first name, patronymic, teacher,
    dates) in order, so a page costs what its offset costs instead of sorting the whole region;
    a teacher with two jobs at the node appears once (DISTINCT on the name and the id).
    """
    order = [f"-{name}" for name in NAME_ORDER] if descending else list(NAME_ORDER)
    rows = _places_in(scope).order_by(*order).values_list(*NAME_ORDER).distinct()[start:stop]
    return [row[3] for row in rows]


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
