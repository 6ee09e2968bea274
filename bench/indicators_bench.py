"""All seven indicators for the country, every region and every municipality, for one year.

One command on any database the app runs on (the demo region on SQLite, the generated country on
PostgreSQL):
    python bench/indicators_bench.py [--year Y] [--baseline-sample N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/country python bench/indicators_bench.py

It prints, from one run:
- direct: `compute_direct` + `breakdown_direct` per region (region figure and one GROUP BY per
  municipality table), no cache: what the first reader after a write pays;
- cached: the same through `compute` / `breakdown` after a first pass filled the cache (the
  figures the dashboard, API, command and exports get while no source table changed);
- after a write: a route is inserted, everything is computed again (the cache must miss and the
  figures must equal the direct ones), and the route is deleted (its two history rows remain);
- baseline: the obvious loop, one `compute_direct` per municipality and per region; with
  `--baseline-sample N` only N municipalities are timed and the total is extrapolated (said so);
- a bare scan: COUNT(*) over the source tables, for scale;
and the ratios baseline / direct and baseline / cached. Country totals add the regions' pairs.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from profdev.indicators import compute  # noqa: E402
from profdev.indicators.choices import IndicatorCode  # noqa: E402
from profdev.orgs.models import Municipality, Region  # noqa: E402

SCANNED = [
    "people_employment",
    "learning_enrollment",
    "learning_route",
    "orgs_organization",
    "mentorship_mentorpair",
    "events_eventparticipation",
]


def measure(func: Any, repeat: int = 1) -> tuple[float, int, Any]:
    """The median time of `repeat` runs, the queries of one run and its result."""
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = func()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(ctx.captured_queries), result


def everything(
    regions: list[Region], year: int, as_of: datetime.date, direct: bool
) -> dict[int, Any]:
    one = compute.compute_direct if direct else compute.compute
    table = compute.breakdown_direct if direct else compute.breakdown
    result = {}
    for region in regions:
        params = compute.Params(year, region, None, as_of)
        result[region.pk] = (one(params), table(params))
    return result


def flatten(result: dict[int, Any]) -> list[Any]:
    rows = []
    for region_id, (figures, breakdown) in sorted(result.items()):
        rows.append((region_id, [(f.numerator, f.denominator) for f in figures]))
        for row in breakdown:
            rows.append((row.municipality.pk, [(f.numerator, f.denominator) for f in row.figures]))
    return rows


def line(label: str, ms: float, queries: int | None = None, note: str = "") -> None:
    q = f"{queries:>7} queries" if queries is not None else " " * 15
    print(f"{label:<58} {ms:>10.1f} ms {q}  {note}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)
    parser.add_argument(
        "--baseline-sample",
        type=int,
        default=300,
        help="time the per-municipality loop on at most N municipalities and extrapolate",
    )
    parser.add_argument("--repeat", type=int, default=3, help="median of N runs (direct, cached)")
    args = parser.parse_args()
    regions = list(Region.objects.order_by("pk"))
    if not regions:
        sys.exit("Нет данных: python manage.py seed_demo или generate_country")
    municipalities = list(Municipality.objects.select_related("region").order_by("pk"))
    as_of = compute.default_as_of(args.year)
    print(
        f"{connection.vendor}, year {args.year}, {len(regions)} regions, "
        f"{len(municipalities)} municipalities, cache {cache.__class__.__name__}"
    )
    with connection.cursor() as cursor:
        started = time.perf_counter()
        rows = 0
        for table in SCANNED:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            rows += cursor.fetchone()[0]
        scan_ms = (time.perf_counter() - started) * 1000
    line(
        f"bare scan: COUNT(*) of {len(SCANNED)} source tables ({rows:,} rows)",
        scan_ms,
        len(SCANNED),
    )

    direct_ms, direct_q, direct = measure(
        lambda: everything(regions, args.year, as_of, True), args.repeat
    )
    line("direct: country, every region and municipality (no cache)", direct_ms, direct_q)
    cache.clear()
    fill_ms, fill_q, _ = measure(lambda: everything(regions, args.year, as_of, False))
    line("cached, first pass (cache empty: computes and stores)", fill_ms, fill_q)
    warm_ms, warm_q, warm = measure(
        lambda: everything(regions, args.year, as_of, False), args.repeat
    )
    line("cached, second pass (no write in between)", warm_ms, warm_q)
    assert flatten(warm) == flatten(direct), "cached figures differ from the direct ones"

    from profdev.indicators.tests.factories import route
    from profdev.people.models import Employment

    employment = Employment.objects.filter(end_date__isnull=True, organization__kind="school")
    teacher = employment.select_related("teacher").first().teacher  # type: ignore[union-attr]
    written = route(teacher, datetime.date(args.year, 6, 1))
    after_ms, after_q, after = measure(lambda: everything(regions, args.year, as_of, False))
    fresh = everything(regions, args.year, as_of, True)
    written.delete()
    line("cached, first pass after a write (cache misses)", after_ms, after_q)
    print(
        f"{'':<58} equal to the direct figures after the write: {flatten(after) == flatten(fresh)}"
    )
    again = everything(regions, args.year, as_of, False)
    assert flatten(again) == flatten(direct), "after deleting the route figures must be back"

    sample = municipalities[: args.baseline_sample]
    muni_ms, muni_q, _ = measure(
        lambda: [
            compute.compute_direct(compute.Params(args.year, m.region, m, as_of)) for m in sample
        ]
    )
    region_ms, region_q, _ = measure(
        lambda: [compute.compute_direct(compute.Params(args.year, r, None, as_of)) for r in regions]
    )
    factor = len(municipalities) / len(sample)
    note = ""
    if factor > 1:
        note = f"(timed {len(sample)} of {len(municipalities)} municipalities, extrapolated)"
    base_ms = muni_ms * factor + region_ms
    base_q = int(muni_q * factor) + region_q
    line("baseline: compute_direct per municipality and per region", base_ms, base_q, note)
    print(
        f"ratios: baseline/direct {base_ms / direct_ms:.1f}x, baseline/cached "
        f"{base_ms / warm_ms:.0f}x, direct/bare scan {direct_ms / scan_ms:.1f}x"
    )

    totals: dict[str, list[int]] = {code: [0, 0] for code in IndicatorCode.values}
    for figures, _breakdown in direct.values():
        for figure in figures:
            totals[figure.code][0] += figure.numerator or 0
            totals[figure.code][1] += figure.denominator or 0
    print("country totals (sum of regions):")
    for code, (num, den) in totals.items():
        share = f" = {num / den:.4f}" if den else ""
        print(f"  {code}: {num}/{den or '—'}{share}")


if __name__ == "__main__":
    main()
