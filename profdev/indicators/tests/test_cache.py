"""The cached figures equal the direct computation after every kind of write to the sources."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from profdev.common.tests.factories import EmploymentFactory, teacher_at
from profdev.indicators import compute
from profdev.indicators.models import DATA_VERSION_SHARDS, DataVersion, Target
from profdev.indicators.tests import factories as f
from profdev.people.models import Employment

Y = 2023
D = datetime.date


@pytest.fixture(autouse=True)
def stamps(db: Any) -> None:
    """A transactional test elsewhere may have flushed the stamp rows: put them back."""
    DataVersion.objects.bulk_create(
        [DataVersion(id=n, stamp=0) for n in range(DATA_VERSION_SHARDS)], ignore_conflicts=True
    )
    cache.clear()


def snapshot(world: Any) -> Any:
    """Everything the dashboard shows, cached and direct, for the region and each municipality."""
    region = compute.Params(Y, world.tomsk, None, D(Y, 12, 31))
    district = compute.Params(Y, world.tomsk, world.tomsk_district, D(Y, 12, 31))

    def flat(figures: list[compute.Figure]) -> list[tuple[Any, ...]]:
        return [(x.code, x.numerator, x.denominator, x.status, x.target) for x in figures]

    def rows(result: list[compute.BreakdownRow]) -> list[Any]:
        return [(r.municipality.pk, flat(r.figures)) for r in result]

    cached = (
        flat(compute.compute(region)),
        flat(compute.compute(district)),
        rows(compute.breakdown(region)),
    )
    direct = (
        flat(compute.compute_direct(region)),
        flat(compute.compute_direct(district)),
        rows(compute.breakdown_direct(region)),
    )
    return cached, direct


def assert_live(world: Any, write: Callable[[], Any]) -> None:
    before, _ = snapshot(world)
    write()
    cached, direct = snapshot(world)
    assert cached == direct
    assert cached != before, "the write should change a figure"


def test_second_computation_comes_from_the_cache(world):
    region = compute.Params(Y, world.tomsk, None, D(Y, 12, 31))
    first = compute.compute(region)
    with CaptureQueriesContext(connection) as ctx:
        second = compute.compute(region)
    assert len(ctx.captured_queries) == 1  # the stamps only
    assert [x.numerator for x in first] == [x.numerator for x in second]


def test_create_update_delete_through_the_orm_show_at_once(world):
    route: dict[str, Any] = {}
    assert_live(world, lambda: route.setdefault("r", f.route(world.teacher_a, D(Y, 3, 1))))

    def cancel() -> None:
        route["r"].status = "cancelled"
        route["r"].save()

    assert_live(world, cancel)
    assert_live(world, lambda: f.route(world.teacher_b, D(Y, 4, 1)))
    prog = f.program()
    assert_live(world, lambda: f.completion(world.teacher_c, D(Y, 5, 1), prog=prog))
    assert_live(world, lambda: route["r"].delete() and f.route(world.teacher_c, D(Y, 2, 2)))


def test_bulk_create_queryset_update_and_delete_show_at_once(world):
    school = world.school_a
    teachers = [teacher_at(world.school_c) for _ in range(3)]
    assert_live(
        world,
        lambda: Employment.objects.bulk_create(
            [Employment(teacher=t, organization=school, start_date=D(2020, 1, 1)) for t in teachers]
        ),
    )
    assert_live(
        world,
        lambda: Employment.objects.filter(teacher__in=teachers, organization=school).update(
            end_date=D(2021, 1, 1)
        ),
    )
    assert_live(world, lambda: Employment.objects.filter(teacher__in=teachers).delete())


def test_raw_sql_and_a_new_target_show_at_once(world):
    EmploymentFactory(teacher=world.teacher_a, organization=world.school_c, kind="part_time")

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE people_employment SET end_date = %s WHERE organization_id = %s",
                [D(2022, 6, 1), world.school_c.pk],
            )

    assert_live(world, raw)
    Target.objects.filter(year=Y).delete()
    assert_live(world, lambda: Target.objects.create(indicator="6", year=Y, value=10, unit="share"))


def test_a_rolled_back_write_leaves_no_stale_figures(world):
    region = compute.Params(Y, world.tomsk, None, D(Y, 12, 31))
    before = [x.numerator for x in compute.compute(region)]
    with pytest.raises(RuntimeError), transaction.atomic():
        f.route(world.teacher_a, D(Y, 3, 1))
        inside = [x.numerator for x in compute.compute(region)]  # cached under its own stamp
        assert inside != before
        raise RuntimeError
    assert [x.numerator for x in compute.compute(region)] == before
    f.route(world.teacher_b, D(Y, 3, 1))
    assert [x.numerator for x in compute.compute(region)] == [
        x.numerator for x in compute.compute_direct(region)
    ]


def test_dashboard_reads_the_stamps_once_and_equals_the_direct_figures(world):
    def flat(figures: list[compute.Figure]) -> list[tuple[Any, ...]]:
        return [(x.code, x.numerator, x.denominator, x.status) for x in figures]

    def direct(params: compute.Params) -> Any:
        series: dict[str, list[Any]] = {code: [] for code in compute.CODES}
        for year in range(Y - 3, Y + 1):
            as_of = params.as_of if year == Y else compute.default_as_of(year)
            year_params = compute.Params(year, params.region, params.municipality, as_of)
            for figure in compute.compute_direct(year_params):
                series[figure.code].append((year, figure.value))
        rows = compute.breakdown_direct(params)
        if params.municipality is not None:
            rows = [r for r in rows if r.municipality.pk == params.municipality.pk]
        return (
            flat(compute.compute_direct(params)),
            series,
            [(r.municipality.pk, flat(r.figures)) for r in rows],
        )

    def shown(params: compute.Params) -> Any:
        figures, series, rows = compute.dashboard(params)
        return flat(figures), series, [(r.municipality.pk, flat(r.figures)) for r in rows]

    region = compute.Params(Y, world.tomsk, None, D(Y, 12, 31))
    district = compute.Params(Y, world.tomsk, world.tomsk_district, D(Y, 6, 30))
    for params in (region, district):
        assert shown(params) == direct(params)
    f.route(world.teacher_a, D(Y, 3, 1))  # a write between two views shows on the next one
    for params in (region, district):
        assert shown(params) == direct(params)
        with CaptureQueriesContext(connection) as ctx:
            shown(params)
        assert len(ctx.captured_queries) == 1  # warm: the stamps, read once for four years


def _run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads started at the same moment; their results in order."""
    import threading

    results: list[Any] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index: int) -> None:
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_a_regions_counts_are_computed_once_by_requests_arriving_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    calls: list[list[int]] = []

    def slow_count(
        year: int, as_of: datetime.date, region_ids: list[int], stamps: Any = None
    ) -> dict[int, Any]:
        calls.append(list(region_ids))
        time.sleep(0.3)
        return {region_id: f"counts of {region_id}" for region_id in region_ids}

    monkeypatch.setattr(compute, "count_regions", slow_count)
    keys = {1: "test-once:1", 2: "test-once:2"}
    results = _run_together(*[lambda: compute._count_once(Y, D(Y, 12, 31), keys)] * 4)
    assert results == [{"test-once:1": "counts of 1", "test-once:2": "counts of 2"}] * 4
    assert sorted(region for call in calls for region in call) == [1, 2]  # each region once
    assert cache.get("test-once:1") == "counts of 1" and cache.get("test-once:1:lock") is None


def test_a_failed_claim_is_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    calls: list[str] = []

    def failing_then_counting(
        year: int, as_of: datetime.date, region_ids: list[int], stamps: Any = None
    ) -> Any:
        calls.append("call")
        time.sleep(0.2)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return {region_id: "counts" for region_id in region_ids}

    monkeypatch.setattr(compute, "count_regions", failing_then_counting)

    def attempt() -> Any:
        try:
            return compute._count_once(Y, D(Y, 12, 31), {7: "test-failed:7"})
        except RuntimeError as error:
            return str(error)

    started = time.monotonic()
    results = _run_together(attempt, attempt)
    assert sorted(map(str, results)) == sorted(
        ["the database went away", str({"test-failed:7": "counts"})]
    )
    assert len(calls) == 2 and time.monotonic() - started < compute.WAIT_SECONDS / 2


def test_a_target_edit_shows_at_once_without_counting_again(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Targets have their own stamps (migration 0006): the figures take the new target and
    status from the cached counts; only a source write makes the region count again."""
    region = compute.Params(Y, world.tomsk, None, D(Y, 12, 31))
    snapshot(world)  # counts cached
    counted = f.record_counts(monkeypatch)
    writes = [
        lambda: Target.objects.filter(year=Y, indicator="1").update(value=99),  # bulk, no signal
        lambda: Target.objects.filter(year=Y, indicator="6").delete(),
        lambda: Target.objects.create(indicator="6", year=Y, value=1, unit="share"),
    ]
    for write in writes:
        before = [(x.target, x.status) for x in compute.compute(region)]
        write()
        counted.clear()
        cached = [(x.code, x.target, x.status, x.numerator) for x in compute.compute(region)]
        breakdown = compute.breakdown(region)
        assert counted == []  # from the cached counts
        direct = [(x.code, x.target, x.status, x.numerator) for x in compute.compute_direct(region)]
        assert cached == direct
        assert [(x.target, x.status) for x in compute.compute(region)] != before
        assert [[(x.target, x.status) for x in r.figures] for r in breakdown] == [
            [(x.target, x.status) for x in r.figures] for r in compute.breakdown_direct(region)
        ]
    counted.clear()
    f.route(world.teacher_a, D(Y, 3, 1))  # a source write: the region is counted again
    compute.compute(region)
    assert counted == [[world.tomsk.pk]]
