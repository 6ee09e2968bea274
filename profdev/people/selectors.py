"""Reads of people: teacher lists with their current place of work."""

import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from profdev.common.cache_keys import database_key
from profdev.common.identifiers import normalize_snils
from profdev.orgs.scoping import Action, Level, Scope
from profdev.people.choices import EmploymentKind
from profdev.people.models import (
    CenterStaff,
    Employment,
    ListVersion,
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


def teacher_search(*, user: Any, query: str) -> QuerySet[Teacher]:
    """Teachers in the user's scope whose name or SNILS matches, in name order; none for an
    empty query (a region has thousands: pages search, they do not list them all)."""
    teachers = Teacher.objects.for_user(user, Action.VIEW)
    if not query:
        return teachers.none()
    digits = normalize_snils(query)
    if digits.isdigit() and len(digits) == 11:
        teachers = teachers.filter(snils=digits)
    else:
        for word in query.split()[:3]:
            # SQLite folds the case of ASCII letters only: «петрова» finds «Петрова» there
            # through the capitalized spelling (names are stored capitalized).
            condition = Q()
            for spelling in {word, word.capitalize()}:
                condition |= (
                    Q(last_name__icontains=spelling)
                    | Q(first_name__icontains=spelling)
                    | Q(middle_name__icontains=spelling)
                )
            teachers = teachers.filter(condition)
    return teachers.order_by("last_name", "first_name", "middle_name", "pk")


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


def _places_in(scope: Scope, on: datetime.date | None = None) -> QuerySet[TeacherPlace]:
    """Active places (employments) at the scope's node: the rows its teacher list comes from."""
    return TeacherPlace.objects.filter(
        active_employment_q(on=on), **{PLACE_LEVELS[scope.level]: scope.node_id}
    )


def place_stamps(scope: Scope) -> tuple[Any, ...] | None:
    """The change stamps of the region holding the scope's node; None when there are none.

    The indicators' triggers stamp a region (`indicators.RegionVersion`, plus the shared
    `DataVersion`) in the writer's transaction on every write to its employments, organizations
    and municipalities, bulk writes and raw SQL included — everything that decides which
    teachers are employed at a node on a date. Read before the data they key, so a result is
    never stored under stamps newer than itself.
    """
    from profdev.indicators.compute import data_stamps
    from profdev.orgs.models import Municipality, Organization

    if scope.level not in PLACE_LEVELS or scope.node_id is None:
        return None
    region_id: int | None = scope.node_id
    if scope.level == Level.MUNICIPALITY:
        region_id = (
            Municipality.objects.filter(pk=scope.node_id)
            .values_list("region_id", flat=True)
            .first()
        )
    elif scope.level == Level.ORGANIZATION:
        region_id = (
            Organization.objects.filter(pk=scope.node_id)
            .values_list("region_id", flat=True)
            .first()
        )
    if region_id is None:
        return None
    stamps = data_stamps([region_id])
    return None if stamps is None else (region_id, stamps[region_id])


def list_stamps(region_id: int) -> tuple[tuple[int, int], ...]:
    """The region's `ListVersion` stamps: new after every write that can change what one of its
    teacher lists shows (migration 0006), bulk writes and raw SQL included."""
    return tuple(
        ListVersion.objects.filter(region_id=region_id).order_by("pk").values_list("pk", "stamp")
    )


def scope_page_state(scope: Scope, stamps: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    """What a page of the scope's region depends on, for `common.page_cache`: the scope, the
    region's change stamps (`place_stamps`, read by the caller before anything else: who works
    where, the indicators' sources, organization and municipality names) and its lists' stamps
    (what a teacher row shows, the region's name, the subjects). None when there are no stamps.
    The unfiltered teacher list and the indicators dashboard show nothing else of the data."""
    if stamps is None:
        return None
    return (scope.role, scope.level, scope.node_id, stamps, list_stamps(stamps[0]))


COUNT_SECONDS = 24 * 3600


def teacher_count_by_places(*, scope: Scope, stamps: tuple[Any, ...] | None) -> int:
    """How many teachers hold an active employment at the scope's node (one index range).

    Distinct on the name and the id (a teacher's places all carry their name), so PostgreSQL
    counts along the index order instead of hashing every id of the region (2× faster). A
    region's count reads 14,000 index entries (most of the list page's database time), so it
    is cached under the region's change stamps (`place_stamps(scope)`, read by the caller
    before anything else of the request) and today's date (the active check): any write that
    can change it is a new key, and the next request counts again. No stamps: no cache.
    """
    day = timezone.localdate()
    if stamps is None:
        return _places_in(scope, day).values_list(*NAME_ORDER).distinct().count()
    key = database_key(
        "people", "teacher-count-v1", scope.level, scope.node_id, day.isoformat(), stamps
    )
    count = cache.get(key)
    if count is None:
        count = _places_in(scope, day).values_list(*NAME_ORDER).distinct().count()
        cache.set(key, count, COUNT_SECONDS)
    return int(count)


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
