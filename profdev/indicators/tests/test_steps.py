"""The teachers' count steps (decision 0012) give exactly the direct statement's counts, for any
date, and are read only while the region's stamps are the ones they were built from."""

import datetime
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from profdev.common.tests.factories import EmploymentFactory, OrganizationFactory, TeacherFactory
from profdev.indicators import compute, steps
from profdev.indicators.models import CountStep, CountStepBuild
from profdev.indicators.tests import factories as f
from profdev.learning.models import Enrollment, Route
from profdev.mentorship.models import MentorshipSettings
from profdev.people.models import Employment

D = datetime.date

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the steps are PostgreSQL's plan"
)


def counted(year: int, as_of: datetime.date, region_ids: list[int], *, stepped: bool) -> Any:
    """`count_regions`' pairs of each region and of its own municipalities, from the steps
    where they are current (`stepped`) or from the rows."""
    with override_settings(INDICATOR_STEPS=stepped):
        counts = compute.count_regions(year, as_of, region_ids)
    return {
        region_id: (
            region.region,
            {m.pk: region.pairs_for(m) for m in region.municipalities},
        )
        for region_id, region in counts.items()
    }


def days(first: datetime.date, last: datetime.date, every: int) -> list[datetime.date]:
    return [first + datetime.timedelta(days=n) for n in range(0, (last - first).days + 1, every)]


@pytest.fixture
def tangled(world: Any) -> Any:
    """Every indicator's source rows with dates around each other's: employments that overlap,
    touch, leave gaps, span two municipalities and two regions, at inactive schools and other
    organizations; routes and completions before, inside and after them; management courses
    inside and outside the manager's post; mentoring links ending before a year or open; events
    whose participants are employed for part of the year."""
    from profdev.mentorship.tests.factories import (
        ManagementMentoringFactory,
        MentorPairFactory,
        TargetModelFactory,
    )

    closed = OrganizationFactory(municipality=world.asino, name="Закрытая школа", is_active=False)
    college = OrganizationFactory(municipality=world.asino, name="Колледж", kind="other")
    a, b, c, d = world.teacher_a, world.teacher_b, world.teacher_c, world.teacher_d
    Employment.objects.filter(teacher__in=[a, b, c, d]).update(start_date=D(2022, 9, 1))
    for teacher, organization, start, end in (
        (a, world.school_b, D(2022, 1, 1), D(2023, 2, 28)),  # overlaps school A's
        (a, world.school_c, D(2023, 3, 1), D(2023, 6, 30)),  # another municipality
        (b, world.school_a, D(2021, 1, 1), D(2022, 8, 31)),  # touches school B's
        (c, world.school_c, D(2021, 1, 1), D(2021, 12, 31)),  # a gap before 2022-09-01
        (c, world.school_d, D(2023, 5, 1), None),  # another region
        (d, world.school_d, D(2022, 5, 1), D(2022, 7, 31)),  # a month's gap before 2022-09-01
        (d, closed, D(2020, 1, 1), None),
        (d, college, D(2020, 1, 1), None),
    ):
        EmploymentFactory(
            teacher=teacher, organization=organization, start_date=start, end_date=end
        )
    center, other = f.program(), f.program(provider="other")
    management = f.program(audience="management")
    f.route(a, D(2023, 2, 1))
    f.route(a, D(2023, 8, 1))  # the second of the year changes nothing
    f.route(b, D(2023, 3, 15), "draft")
    f.route(b, D(2022, 7, 1))
    f.route(c, D(2023, 6, 1))  # counts in both of c's regions
    f.route(d, D(2023, 4, 1))
    f.completion(a, D(2023, 12, 31), prog=center)
    f.completion(b, D(2023, 1, 1), prog=center)
    f.completion(c, D(2021, 6, 1), prog=center)
    f.completion(d, D(2023, 6, 1), prog=other)
    f.completion(d, None, prog=center, status="enrolled")
    # indicator 5: a director for 2022-2023 at school B, a deputy later at school C
    director = TeacherFactory()
    EmploymentFactory(
        teacher=director,
        organization=world.school_b,
        position="director",
        is_management=True,
        start_date=D(2022, 1, 1),
        end_date=D(2023, 3, 31),
    )
    EmploymentFactory(
        teacher=director,
        organization=world.school_c,
        position="deputy_director",
        start_date=D(2023, 4, 1),
    )
    f.completion(director, D(2022, 10, 1), prog=management)
    f.completion(director, D(2023, 3, 1), prog=management)  # school B's
    f.completion(director, D(2023, 5, 1), prog=management)  # school C's
    f.completion(b, D(2023, 5, 1), prog=management)  # not a manager
    # indicator 6
    TargetModelFactory(organization=world.school_a, local_act_date=D(2022, 3, 1), curator=a)
    MentorPairFactory(
        organization=world.school_a, mentor=a, start_date=D(2022, 2, 1), planned_end=D(2023, 1, 31)
    )
    # indicator 7
    ManagementMentoringFactory(
        mentor_organization=world.school_a,
        mentee_organization=world.school_c,
        start_date=D(2021, 9, 1),
        end_date=D(2022, 5, 31),
    )
    ManagementMentoringFactory(
        mentor_organization=world.school_d,
        mentee_organization=world.school_b,
        start_date=D(2023, 2, 1),
        end_date=None,
    )
    # indicator 4
    for region, start, teacher, school in (
        (world.tomsk, D(2022, 3, 1), a, None),  # a: district, then asino in 2023
        (world.tomsk, D(2023, 4, 1), a, world.school_c),
        (world.tomsk, D(2023, 2, 15), c, None),  # c: asino until 2021, then district
        (world.tomsk, D(2023, 1, 10), d, None),  # d: the college in asino, Novosibirsk
        (world.nsk, D(2023, 5, 1), c, None),
        (world.tomsk, D(2023, 6, 1), None, None),
        (world.tomsk, D(2023, 6, 1), b, world.school_b),
    ):
        event = f.event(region, start)
        if teacher is not None:
            f.participation(event, teacher=teacher)
        if school is not None:
            f.participation(event, organization=school)
    f.participation(f.event(world.tomsk, D(2023, 3, 1), level="municipal"), teacher=a)
    return world


@postgresql_only
def test_the_steps_give_the_direct_counts_on_every_date(tangled):
    regions = [tangled.tomsk.pk, tangled.nsk.pk]
    assert steps.build(regions) > 0
    assert steps.stale_regions(regions) == []
    built = CountStepBuild.objects.get(region_id=tangled.tomsk.pk)
    assert built.municipalities == sorted([tangled.tomsk_district.pk, tangled.asino.pk])
    compared = set()
    for as_of in [*days(D(2020, 12, 25), D(2024, 1, 5), 9), D(2022, 8, 31), D(2022, 9, 1)]:
        expected = counted(as_of.year, as_of, regions, stepped=False)
        assert counted(as_of.year, as_of, regions, stepped=True) == expected, as_of
        compared.add(repr(expected))
    assert len(compared) > 15  # the counts did change over the dates compared
    # teacher a, in two municipalities in spring 2023, counts in each and once for the region
    region, municipalities = counted(2023, D(2023, 4, 1), [tangled.tomsk.pk], stepped=True)[
        tangled.tomsk.pk
    ]
    district = municipalities[tangled.tomsk_district.pk]["1"][1]
    asino = municipalities[tangled.asino.pk]["1"][1]
    assert region["1"][1] == district + asino - 1
    # every indicator has a count somewhere
    assert all(region[code][0] for code in ("1", "2", "4", "5", "7"))


@postgresql_only
def test_a_write_sends_its_region_to_the_direct_statements_until_rebuilt(tangled, monkeypatch):
    tomsk, nsk = tangled.tomsk.pk, tangled.nsk.pk
    steps.build([tomsk, nsk])
    read = []
    real = steps.read
    monkeypatch.setattr(steps, "read", lambda y, d, ids: read.append(list(ids)) or real(y, d, ids))
    as_of = D(2023, 12, 31)
    before = counted(2023, as_of, [tomsk, nsk], stepped=True)
    assert read[-1] == [tomsk, nsk]

    Employment.objects.filter(teacher=tangled.teacher_a).update(end_date=D(2023, 5, 31))
    assert steps.stale_regions([tomsk, nsk]) == [tomsk]
    mixed = counted(2023, as_of, [tomsk, nsk], stepped=True)
    assert read[-1] == [nsk]
    assert mixed == counted(2023, as_of, [tomsk, nsk], stepped=False) != before

    steps.build([tomsk])
    assert counted(2023, as_of, [tomsk, nsk], stepped=True) == mixed
    assert read[-1] == [tomsk, nsk]
    # a year after the one the steps were built up to is counted directly
    assert steps.stale_regions([tomsk], year=CountStepBuild.objects.get(pk=tomsk).last_year + 1)
    # so does a release that changes a counting rule
    monkeypatch.setattr(steps, "EVENTS_SQL", steps.EVENTS_SQL + "\n")
    steps._rules.cache_clear()
    assert steps.stale_regions([tomsk, nsk]) == [tomsk, nsk]
    monkeypatch.undo()
    steps._rules.cache_clear()
    assert steps.stale_regions([tomsk, nsk]) == []
    # a new programme changes no count; a change of the mentorship rule changes every region's
    f.program(title="Ещё одна")
    assert steps.stale_regions([tomsk, nsk]) == []
    rule = MentorshipSettings.load()
    rule.rule_requires_curator = not rule.rule_requires_curator
    rule.save()
    assert steps.stale_regions([tomsk, nsk]) == [tomsk, nsk]


@postgresql_only
def test_the_figures_from_steps_equal_the_per_scope_orm_ones(tangled):
    steps.build([tangled.tomsk.pk, tangled.nsk.pk])
    for as_of in (D(2022, 4, 1), D(2023, 6, 15), D(2023, 12, 31)):
        for region, municipality in (
            (tangled.tomsk, None),
            (tangled.tomsk, tangled.asino),
            (tangled.tomsk, tangled.tomsk_district),
            (tangled.nsk, None),
        ):
            params = compute.Params(as_of.year, region, municipality, as_of)
            figures = {x.code: (x.numerator, x.denominator) for x in compute.compute_direct(params)}
            orm = {x.code: (x.numerator, x.denominator) for x in compute.compute_orm(params)}
            assert figures == orm


@postgresql_only
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_out_of_date_regions_are_queued_for_one_rebuild_each(
    tangled, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    cache.clear()
    tomsk, nsk = tangled.tomsk.pk, tangled.nsk.pk
    steps.build([nsk])
    with (
        mock.patch("profdev.indicators.tasks.rebuild_steps.apply_async") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        compute.count_regions(2023, D(2023, 12, 31), [tomsk, nsk])
        compute.count_regions(2023, D(2023, 6, 30), [tomsk, nsk])
    assert queue.call_args_list == [mock.call(args=[[tomsk]], countdown=60)]
    # the task clears the claim and builds
    from profdev.indicators.tasks import rebuild_steps

    assert rebuild_steps.run([tomsk]) > 0
    assert steps.stale_regions([tomsk, nsk]) == []
    assert cache.get(steps.pending_key(tomsk)) is None


@postgresql_only
def test_the_command_builds_the_out_of_date_regions(tangled):
    steps.build([tangled.nsk.pk])
    before = CountStepBuild.objects.get(region_id=tangled.nsk.pk).built_at
    out = StringIO()
    call_command("build_count_steps", stdout=out)
    assert "Регионов: 1" in out.getvalue()
    assert CountStepBuild.objects.get(region_id=tangled.nsk.pk).built_at == before
    call_command("build_count_steps", "--all", "--region", "54", stdout=out)
    assert CountStepBuild.objects.get(region_id=tangled.nsk.pk).built_at > before
    with pytest.raises(Exception, match="99"):
        call_command("build_count_steps", "--region", "99", stdout=out)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite only")
def test_sqlite_counts_directly(world):
    out = StringIO()
    call_command("build_count_steps", stdout=out)
    assert "PostgreSQL" in out.getvalue()
    assert steps.build([world.tomsk.pk]) == 0
    assert not CountStep.objects.exists()


@pytest.fixture
def pool(world: Any) -> list[Any]:
    return list(TeacherFactory.create_batch(4))


YEARS = st.integers(min_value=2021, max_value=2024)
DAY = st.builds(lambda y, d: D(y, 1, 1) + datetime.timedelta(days=d), YEARS, st.integers(0, 364))
SPAN = st.tuples(DAY, st.one_of(st.none(), st.integers(0, 500)))


@postgresql_only
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    employments=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 2), SPAN), min_size=1, max_size=10
    ),
    routes=st.lists(st.tuples(st.integers(0, 3), DAY), max_size=4),
    completions=st.lists(st.tuples(st.integers(0, 3), DAY), max_size=4),
    events=st.lists(st.tuples(DAY, st.sets(st.integers(0, 3), max_size=3)), max_size=3),
    dates=st.lists(DAY, min_size=1, max_size=6),
)
def test_any_intervals_flags_and_events_count_as_directly(
    world, pool, employments, routes, completions, events, dates
):
    # the examples share the test's transaction: each removes what it wrote
    teachers = pool
    schools = [world.school_a, world.school_b, world.school_c]
    program = f.program()
    try:
        for teacher, school, (start, length) in employments:
            EmploymentFactory(
                teacher=teachers[teacher],
                organization=schools[school],
                start_date=start,
                end_date=None if length is None else start + datetime.timedelta(days=length),
            )
        for teacher, day in routes:
            f.route(teachers[teacher], day)
        for teacher, day in completions:
            f.completion(teachers[teacher], day, prog=program)
        for day, participants in events:
            event = f.event(world.tomsk, day)
            for teacher in participants:
                f.participation(event, teacher=teachers[teacher])
        steps.build([world.tomsk.pk])
        for as_of in dates:
            assert counted(as_of.year, as_of, [world.tomsk.pk], stepped=True) == counted(
                as_of.year, as_of, [world.tomsk.pk], stepped=False
            ), as_of
    finally:
        Employment.objects.filter(teacher__in=teachers).delete()
        Route.objects.filter(teacher__in=teachers).delete()
        Enrollment.objects.filter(teacher__in=teachers).delete()
        f.model("events.Event").objects.filter(region=world.tomsk).delete()
        program.cohorts.all().delete()
        program.delete()
