"""Reads of the learning app: deficits, proposals for a route, closing the loop."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from profdev.events.models import Event
from profdev.learning.choices import RouteStatus
from profdev.learning.models import (
    Cohort,
    CompetenceArea,
    Diagnostic,
    DiagnosticScore,
    Enrollment,
    Program,
    Route,
)
from profdev.orgs.scoping import Action
from profdev.people.models import Teacher
from profdev.people.selectors import current_employments


def diagnostic_deficits(diagnostic: Diagnostic) -> list[CompetenceArea]:
    """Areas scored under their threshold in a diagnostic."""
    return [
        score.area
        for score in diagnostic.scores.select_related("area").filter(score__lt=F("threshold"))
    ]


def latest_diagnostic(*, teacher: Teacher, user: Any) -> Diagnostic | None:
    return (
        Diagnostic.objects.for_user(user, Action.VIEW)
        .filter(teacher=teacher)
        .order_by("-conducted_on", "-pk")
        .first()
    )


def teacher_deficits(*, teacher: Teacher, user: Any) -> list[DiagnosticScore]:
    """Deficit scores of the teacher's latest diagnostic."""
    diagnostic = latest_diagnostic(teacher=teacher, user=user)
    if diagnostic is None:
        return []
    return [score for score in diagnostic.scores.select_related("area") if score.is_deficit]


def next_cohort(
    *, program: Program, after: datetime.date, before: datetime.date | None = None
) -> Cohort | None:
    """The first cohort of a program starting on/after a date (and ending by `before`)."""
    cohorts = program.cohorts.filter(start_date__gte=after)
    if before is not None:
        cohorts = cohorts.filter(end_date__lte=before)
    return cohorts.order_by("start_date").first()


@dataclass
class Proposal:
    program: Program
    areas: list[CompetenceArea]
    cohort: Cohort | None


def route_proposals(*, route: Route, user: Any) -> list[Proposal]:
    """Catalogue programs targeting the route's deficits, not yet in the route, best match first."""
    deficits = set(route.deficits.all())
    if not deficits:
        return []
    taken = set(route.steps.exclude(program=None).values_list("program_id", flat=True))
    programs = (
        Program.objects.for_user(user, Action.VIEW)
        .filter(areas__in=deficits)
        .exclude(pk__in=taken)
        .distinct()
        .prefetch_related("areas")
    )
    proposals = [
        Proposal(
            program=program,
            areas=[area for area in program.areas.all() if area in deficits],
            cohort=next_cohort(program=program, after=route.developed_on, before=route.planned_end),
        )
        for program in programs
    ]
    proposals.sort(key=lambda p: (-len(p.areas), p.cohort is None, p.program.title))
    return proposals


@dataclass
class EventProposal:
    event: Event
    areas: list[CompetenceArea]


def route_event_proposals(
    *, route: Route, user: Any, today: datetime.date | None = None
) -> list[EventProposal]:
    """Upcoming catalogue events inside the route's period that target its deficits.

    Upcoming: starting today or later (and not before the route is developed); events already
    in the route are left out. Best match first, then the earliest.
    """
    deficits = set(route.deficits.all())
    if not deficits:
        return []
    first_day = max(route.developed_on, today or timezone.localdate())
    taken = set(route.steps.exclude(event=None).values_list("event_id", flat=True))
    events = (
        Event.objects.for_user(user, Action.VIEW)
        .filter(
            areas__in=deficits,
            start_date__gte=first_day,
            end_date__lte=route.planned_end,
        )
        .exclude(pk__in=taken)
        .distinct()
        .prefetch_related("areas")
    )
    proposals = [
        EventProposal(event=event, areas=[a for a in event.areas.all() if a in deficits])
        for event in events
    ]
    proposals.sort(key=lambda p: (-len(p.areas), p.event.start_date, p.event.title))
    return proposals


@dataclass
class DeficitOutcome:
    area: CompetenceArea
    before: Decimal | None
    after: Decimal | None
    threshold: Decimal
    closed: bool | None  # None: no later diagnostic yet


def _later_diagnostics(teacher_id: Any, developed_on: Any, own_id: Any) -> QuerySet[Diagnostic]:
    """A teacher's diagnostics after a route was developed, the latest first, except the one
    the route was built on (`own_id`, 0 for none); values or `OuterRef`s of the route."""
    return (
        Diagnostic.objects.filter(teacher_id=teacher_id, conducted_on__gt=developed_on)
        .exclude(pk=own_id)
        .order_by("-conducted_on", "-pk")
    )


def route_outcomes(route: Route) -> tuple[Diagnostic | None, list[DeficitOutcome]]:
    """Per deficit of the route: does the latest diagnostic after the route show it closed?"""
    later = (
        _later_diagnostics(route.teacher_id, route.developed_on, route.diagnostic_id or 0)
        .prefetch_related("scores")
        .first()
    )
    before_scores: dict[int, Decimal] = {}
    if route.diagnostic_id:
        before_scores = dict(
            DiagnosticScore.objects.filter(diagnostic_id=route.diagnostic_id).values_list(
                "area_id", "score"
            )
        )
    after_scores = {s.area_id: s for s in later.scores.all()} if later else {}
    outcomes = []
    for area in route.deficits.all():
        after = after_scores.get(area.pk)
        outcomes.append(
            DeficitOutcome(
                area=area,
                before=before_scores.get(area.pk),
                after=after.score if after else None,
                threshold=after.threshold if after else area.threshold,
                closed=None if after is None else not after.is_deficit,
            )
        )
    return later, outcomes


@dataclass
class ClosureRow:
    municipality: str
    routes: int = 0
    deficits: int = 0
    rediagnosed: int = 0
    closed: int = 0

    @property
    def closed_share(self) -> float | None:
        return self.closed / self.rediagnosed * 100 if self.rediagnosed else None


def deficit_closure_report(*, user: Any, year: int | None = None) -> list[ClosureRow]:
    """By municipality: deficits of completed routes, how many were re-diagnosed and closed.

    `route_outcomes` for every route at once, in four queries whatever the number of routes
    (route by route it took three queries each: 9 s for the demo region)."""
    routes = Route.objects.for_user(user, Action.VIEW).filter(status=RouteStatus.COMPLETED)
    if year is not None:
        routes = routes.filter(developed_on__year=year)
    later = _later_diagnostics(
        OuterRef("teacher_id"), OuterRef("developed_on"), Coalesce(OuterRef("diagnostic_id"), 0)
    ).values("pk")[:1]
    with_later = routes.annotate(later_id=Subquery(later))
    found = list(with_later.values_list("pk", "teacher_id", "later_id"))
    deficits: dict[int, list[int]] = defaultdict(list)
    for route_id, area_id in Route.deficits.through.objects.filter(route__in=routes).values_list(
        "route_id", "competencearea_id"
    ):
        deficits[route_id].append(area_id)
    # Per (later diagnostic, area): whether the area is still a deficit there.
    still_deficit = {
        (score.diagnostic_id, score.area_id): score.is_deficit
        for score in DiagnosticScore.objects.filter(
            diagnostic_id__in=with_later.values("later_id")
        ).only("diagnostic_id", "area_id", "score", "threshold")
    }
    municipality_of: dict[int, str] = {}
    for teacher_id, name in (
        current_employments()
        .filter(teacher_id__in=routes.values("teacher_id"))
        .values_list("teacher_id", "organization__municipality__name")
    ):
        municipality_of.setdefault(teacher_id, name)
    rows: dict[str, ClosureRow] = defaultdict(lambda: ClosureRow(municipality=""))
    for route_id, teacher_id, later_id in found:
        name = municipality_of.get(teacher_id, "—")
        row = rows[name]
        row.municipality = name
        row.routes += 1
        for area_id in deficits[route_id]:
            row.deficits += 1
            deficit = still_deficit.get((later_id, area_id))
            if deficit is not None:
                row.rediagnosed += 1
                row.closed += not deficit
    return sorted(rows.values(), key=lambda r: r.municipality)


def teacher_enrollments(*, teacher: Teacher, user: Any) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.for_user(user, Action.VIEW)
        .filter(teacher=teacher)
        .select_related("cohort__program")
        .order_by("-cohort__start_date")
    )


def teacher_routes(*, teacher: Teacher, user: Any) -> QuerySet[Route]:
    return (
        Route.objects.for_user(user, Action.VIEW)
        .filter(teacher=teacher)
        .prefetch_related("deficits", "steps__event", "steps__program")
    )
