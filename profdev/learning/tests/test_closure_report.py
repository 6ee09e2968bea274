"""The deficit-closure report: all routes at once give what `route_outcomes` gives route by route."""

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest

from profdev.common.tests.factories import TeacherFactory, teacher_at
from profdev.learning import selectors
from profdev.learning.choices import RouteStatus
from profdev.learning.models import CompetenceArea, DiagnosticScore, Route
from profdev.learning.tests.factories import DiagnosticFactory, RouteFactory
from profdev.orgs.scoping import Action

D = datetime.date
# Few dates, so that diagnostics fall on a route's day, before it, after it and on one day.
DATES = [D(2023, 1, 10), D(2023, 2, 1), D(2023, 5, 5), D(2024, 2, 1), D(2024, 9, 1)]


def _by_route(user: Any, year: int | None = None) -> dict[str, list[int]]:
    """The report as the rule reads for one route at a time (`route_outcomes`)."""
    routes = Route.objects.for_user(user, Action.VIEW).filter(status=RouteStatus.COMPLETED)
    if year is not None:
        routes = routes.filter(developed_on__year=year)
    expected: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for route in routes:
        employment = route.teacher.employments.order_by("-start_date").first()
        name = employment.organization.municipality.name if employment else "—"
        _, outcomes = selectors.route_outcomes(route)
        row = expected[name]
        row[0] += 1
        row[1] += len(outcomes)
        row[2] += sum(1 for o in outcomes if o.closed is not None)
        row[3] += sum(1 for o in outcomes if o.closed)
    return dict(expected)


def _report(user: Any, year: int | None = None) -> dict[str, list[int]]:
    return {
        row.municipality: [row.routes, row.deficits, row.rediagnosed, row.closed]
        for row in selectors.deficit_closure_report(user=user, year=year)
    }


@pytest.fixture
def tangle(world):
    """Routes of every kind: with and without their own diagnostic (before or after them),
    later diagnostics on one day, scores missing for some areas, routes not completed, a
    teacher without a job and one in another region."""
    rng = random.Random(10)
    areas = list(CompetenceArea.objects.all())
    teachers = [
        world.teacher_a,
        world.teacher_b,
        world.teacher_c,
        world.teacher_d,
        teacher_at(world.school_a, last_name="Дмитриева"),
        TeacherFactory(last_name="Безработная"),
    ]
    diagnostics = {teacher.pk: [] for teacher in teachers}
    for teacher in teachers:
        for _ in range(rng.randint(1, 5)):
            diagnostic = DiagnosticFactory(teacher=teacher, conducted_on=rng.choice(DATES))
            diagnostics[teacher.pk].append(diagnostic)
            for competence in rng.sample(areas, rng.randint(1, len(areas))):
                DiagnosticScore.objects.create(
                    diagnostic=diagnostic,
                    area=competence,
                    score=Decimal(rng.choice([30, 55, 60, 61, 90])),
                    threshold=Decimal(rng.choice([55, 60, 61])),
                )
    for _ in range(60):
        teacher = rng.choice(teachers)
        own = diagnostics[teacher.pk]
        route = RouteFactory(
            teacher=teacher,
            developed_on=rng.choice(DATES[:4]),
            planned_end=D(2025, 6, 30),
            diagnostic=rng.choice(own) if own and rng.random() < 0.7 else None,
            status=rng.choice([RouteStatus.COMPLETED] * 4 + [RouteStatus.IN_PROGRESS]),
        )
        route.deficits.set(rng.sample(areas, rng.randint(0, 4)))
    return teachers


@pytest.mark.parametrize("user_fixture", ["methodist", "operator", "tomsk_district_coordinator"])
def test_the_report_equals_the_outcomes_of_each_route(request, tangle, user_fixture):
    user = request.getfixturevalue(user_fixture)
    expected = _by_route(user)
    # closed and open re-diagnosed deficits are both in it
    assert 0 < sum(row[3] for row in expected.values()) < sum(row[2] for row in expected.values())
    assert _report(user) == expected
    for year in (2023, 2024):
        assert _report(user, year) == _by_route(user, year)


def test_the_report_reads_a_fixed_number_of_queries(
    tangle, methodist, django_assert_max_num_queries
):
    assert Route.objects.filter(status=RouteStatus.COMPLETED).count() > 20
    with django_assert_max_num_queries(5):
        selectors.deficit_closure_report(user=methodist)
