"""The set-based computation equals the per-scope ORM one, and the cache is invalidated per region:
after every kind of write the cached figures equal the direct ones, and a write in one region
leaves the other regions' cached figures in place."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from profdev.common.tests.factories import CenterStaffFactory, EmploymentFactory, teacher_at
from profdev.indicators import compute
from profdev.indicators.models import RegionVersion
from profdev.indicators.tests import factories as f
from profdev.learning.models import Enrollment, Route
from profdev.mentorship.models import MentorPair, MentorshipSettings
from profdev.people.models import Employment

Y = 2023
D = datetime.date


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    cache.clear()


@pytest.fixture
def busy(world: Any) -> Any:
    """Something behind every indicator, in both regions, with people in two municipalities."""
    from profdev.mentorship.tests.factories import (
        ManagementMentoringFactory,
        MentorPairFactory,
        TargetModelFactory,
    )

    EmploymentFactory(teacher=world.teacher_a, organization=world.school_c, kind="part_time")
    EmploymentFactory(teacher=world.teacher_d, organization=world.school_a, kind="part_time")
    center = f.program()
    management = f.program(audience="management")
    director = teacher_at(
        world.school_b, employment_position="director", employment_is_management=True
    )
    f.completion(director, D(Y, 4, 1), prog=management)
    f.route(world.teacher_a, D(Y, 3, 1))
    f.route(world.teacher_b, D(Y, 3, 1), "draft")
    f.route(world.teacher_d, D(Y, 5, 1))
    f.completion(world.teacher_a, D(Y, 6, 1), prog=center)
    f.completion(world.teacher_c, D(Y, 6, 1), prog=center)
    f.completion(world.teacher_d, D(Y, 6, 1), prog=center)
    f.staff_training(world.staff, D(Y - 1, 5, 1))
    CenterStaffFactory(organization=world.center, last_name="Второва")
    for region, teacher, school in (
        (world.tomsk, world.teacher_a, world.school_a),
        (world.tomsk, world.teacher_c, None),
        (world.nsk, world.teacher_d, world.school_d),
    ):
        event = f.event(region, D(Y, 2, 1))
        f.participation(event, teacher=teacher)
        if school is not None:
            f.participation(event, organization=school)
    TargetModelFactory(
        organization=world.school_a, local_act_date=D(Y, 3, 1), curator=world.teacher_a
    )
    MentorPairFactory(
        organization=world.school_a,
        mentor=world.teacher_a,
        start_date=D(Y, 2, 1),
        planned_end=D(Y, 12, 1),
    )
    ManagementMentoringFactory(
        mentor_organization=world.school_a,
        mentee_organization=world.school_d,
        start_date=D(Y - 1, 9, 1),
        end_date=D(Y, 5, 31),
    )
    return world


def flat(figures: list[compute.Figure]) -> list[tuple[Any, ...]]:
    return [(x.code, x.numerator, x.denominator, x.status, x.target, x.forecast) for x in figures]


def rows(result: list[compute.BreakdownRow]) -> list[Any]:
    return [(r.municipality.pk, flat(r.figures)) for r in result]


def everything(world: Any, one: Callable[..., Any], table: Callable[..., Any]) -> list[Any]:
    result = []
    for region, municipalities in (
        (world.tomsk, [world.tomsk_district, world.asino]),
        (world.nsk, [world.nsk_city]),
    ):
        result.append(flat(one(compute.Params(Y, region, None, D(Y, 12, 31)))))
        result.append(rows(table(compute.Params(Y, region, None, D(Y, 12, 31)))))
        for municipality in municipalities:
            result.append(flat(one(compute.Params(Y, region, municipality, D(Y, 12, 31)))))
    return result


@pytest.mark.parametrize("plan", ["probed", "hashed", "sets"])
def test_set_based_equals_the_per_scope_orm_computation(busy, monkeypatch, plan):
    # every plan of the teacher statement on this database, whichever it would choose itself
    if plan != "sets" and connection.vendor != "postgresql":
        pytest.skip("GROUPING SETS: PostgreSQL only")
    monkeypatch.setattr(compute, "TEACHER_PLAN", plan)
    orm = everything(busy, compute.compute_orm, compute.breakdown_orm)
    assert everything(busy, compute.compute_direct, compute.breakdown_direct) == orm
    # both regions at once give the same as each alone
    both = compute.compute_all(Y, D(Y, 12, 31), direct=True)
    assert [flat(item.figures) for item in both] == [orm[0], orm[4]]
    assert [rows(item.rows) for item in both] == [orm[1], orm[5]]
    # the region counts a person once, each municipality counts them
    tomsk = {
        x.code: x for x in compute.compute_direct(compute.Params(Y, busy.tomsk, None, D(Y, 12, 31)))
    }
    district = {
        x.code: x
        for x in compute.compute_direct(
            compute.Params(Y, busy.tomsk, busy.tomsk_district, D(Y, 12, 31))
        )
    }
    asino = {
        x.code: x
        for x in compute.compute_direct(compute.Params(Y, busy.tomsk, busy.asino, D(Y, 12, 31)))
    }
    assert tomsk["1"].denominator < district["1"].denominator + asino["1"].denominator


def assert_live(world: Any, write: Callable[[], Any]) -> None:
    before = everything(world, compute.compute, compute.breakdown)
    write()
    cached = everything(world, compute.compute, compute.breakdown)
    assert cached == everything(world, compute.compute_orm, compute.breakdown_orm)
    assert cached != before, "the write should change a figure"


def test_cached_equals_direct_after_writes_of_every_kind(busy):
    world = busy
    made: dict[str, Any] = {}
    assert_live(world, lambda: made.setdefault("route", f.route(world.teacher_c, D(Y, 3, 1))))

    def cancel() -> None:
        made["route"].status = "cancelled"
        made["route"].save()

    assert_live(world, cancel)
    assert_live(world, lambda: Route.objects.get(teacher=world.teacher_a).delete())
    teachers = [teacher_at(world.school_c) for _ in range(3)]
    assert_live(
        world,
        lambda: Employment.objects.bulk_create(
            [
                Employment(teacher=t, organization=world.school_d, start_date=D(2020, 1, 1))
                for t in teachers
            ]
        ),
    )
    assert_live(
        world,
        lambda: Employment.objects.filter(teacher__in=teachers, organization=world.school_d).update(
            end_date=D(2021, 1, 1)
        ),
    )
    # an enrollment counts where the teacher works: queryset update of its status
    assert_live(
        world,
        lambda: Enrollment.objects.filter(teacher=world.teacher_d).update(status="expelled"),
    )

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE learning_route SET status = %s WHERE teacher_id = %s AND status = %s",
                ["approved", world.teacher_b.pk, "draft"],
            )

    assert_live(world, raw)
    assert_live(world, lambda: MentorPair.objects.filter(organization=world.school_a).delete())

    def relax_rule() -> None:  # the set-based statements are compiled once per rule settings
        settings = MentorshipSettings.load()
        settings.rule_requires_active_pair = False
        settings.save()

    assert_live(world, relax_rule)
    # a program's change can touch every region (its cohorts' teachers work anywhere)
    assert_live(
        world,
        lambda: (
            f.model("learning.Program").objects.filter(audience="teachers").update(provider="other")
        ),
    )
    # an organization moving out of the schools changes its region's denominators
    assert_live(
        world,
        lambda: type(world.school_b).objects.filter(pk=world.school_b.pk).update(is_active=False),
    )


def test_programmes_and_cohorts_stamp_only_the_regions_of_their_teachers(busy):
    from profdev.indicators.models import DataVersion

    def stamps() -> tuple[dict[int, int], dict[int, int]]:
        regional = dict(RegionVersion.objects.values_list("id", "stamp"))
        shared = DataVersion.objects.filter(id__lt=compute.TARGET_STAMPS)
        return regional, dict(shared.values_list("id", "stamp"))

    def changed_regions(before: dict[int, int]) -> set[int]:
        now = RegionVersion.objects.values_list("id", "region_id", "stamp")
        return {region_id for row_id, region_id, stamp in now if before.get(row_id) != stamp}

    everything(busy, compute.compute, compute.breakdown)  # cached
    regional, shared = stamps()
    # a new programme with a cohort nobody is enrolled in yet changes no figure anywhere
    other = f.program(provider="other", title="Новая программа")
    cohort = f.model("learning.Cohort").objects.create(
        program=other, title="Поток 1", start_date=D(Y, 9, 1), end_date=D(Y, 12, 1)
    )
    assert stamps() == (regional, shared)
    # teacher c (Tomsk only) completed a Center course: moving her cohort to another provider's
    # programme changes indicator 2 in Tomsk, not in Novosibirsk
    course = Enrollment.objects.get(teacher=busy.teacher_c).cohort
    assert_live(busy, lambda: type(course).objects.filter(pk=course.pk).update(program=other))
    assert changed_regions(regional) == {busy.tomsk.pk}
    assert stamps()[1] == shared
    regional = stamps()[0]
    cohort.delete()
    assert stamps()[0] == regional


def test_a_rolled_back_write_leaves_no_stale_figures(busy):
    before = everything(busy, compute.compute, compute.breakdown)
    with pytest.raises(RuntimeError), transaction.atomic():
        Route.objects.filter(teacher=busy.teacher_a).delete()
        inside = everything(busy, compute.compute, compute.breakdown)
        assert inside != before
        raise RuntimeError
    assert everything(busy, compute.compute, compute.breakdown) == before
    assert before == everything(busy, compute.compute_orm, compute.breakdown_orm)


def test_a_write_in_one_region_keeps_the_others_cached(busy, monkeypatch):
    nsk = compute.Params(Y, busy.nsk, None, D(Y, 12, 31))
    tomsk = compute.Params(Y, busy.tomsk, None, D(Y, 12, 31))
    compute.compute(nsk), compute.compute(tomsk)
    nsk_stamps = list(RegionVersion.objects.filter(region_id=busy.nsk.pk).values_list("stamp"))
    f.route(busy.teacher_b, D(Y, 3, 1))  # Tomsk only
    assert (
        list(RegionVersion.objects.filter(region_id=busy.nsk.pk).values_list("stamp")) == nsk_stamps
    )
    with CaptureQueriesContext(connection) as ctx:
        compute.compute(nsk)
    assert len(ctx.captured_queries) == 1  # the stamps only: Novosibirsk stays cached
    with CaptureQueriesContext(connection) as ctx:
        figures = compute.compute(tomsk)
    assert len(ctx.captured_queries) > 1  # Tomsk is recomputed
    assert flat(figures) == flat(compute.compute_orm(tomsk))
    # the whole country: one stamp query, one set-based computation of Tomsk alone
    f.route(busy.teacher_c, D(Y, 3, 1))
    recomputed = f.record_counts(monkeypatch)
    everywhere = compute.compute_all(Y, D(Y, 12, 31))
    assert recomputed == [[busy.tomsk.pk]]
    assert [flat(item.figures) for item in everywhere] == [
        flat(compute.compute_orm(tomsk)),
        flat(compute.compute_orm(nsk)),
    ]
    # a teacher working in both regions: her route stamps both
    stamps = dict(RegionVersion.objects.values_list("id", "stamp"))
    f.route(busy.teacher_d, D(Y, 7, 1))
    changed = {
        region_id
        for row_id, region_id, stamp in RegionVersion.objects.values_list(
            "id", "region_id", "stamp"
        )
        if stamps.get(row_id) != stamp
    }
    assert changed == {busy.tomsk.pk, busy.nsk.pk}
    assert compute.compute_all(Y, D(Y, 12, 31))[1].figures == compute.compute_orm(nsk)
