"""All seven indicators for the country, every region and every municipality, for one year.

One command for both targets (the demo region on SQLite in var/db.sqlite3, `make seed`; the
generated country on PostgreSQL), each run in its own process, then the targets met or not:
    python bench/indicators_bench.py --everywhere [--pg-url postgres://...] [--repeat N]
Or one database (whatever DATABASE_URL names, SQLite by default):
    python bench/indicators_bench.py [--year Y] [--baseline-sample N] [--repeat N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/country python bench/indicators_bench.py

It prints, from one run (median of --repeat runs where it says so):
- bare scan: COUNT(*) over the source tables, for scale;
- baseline: the obvious loop, one per-scope ORM query set (`compute_orm`) per municipality and
  per region; with `--baseline-sample N` only N municipalities are timed and the total is
  extrapolated (said so);
- count steps (PostgreSQL): the teachers' count steps of the regions written to since they were
  built, rebuilt first (decision 0012; what the Celery task does after writes);
- cold: `compute_all(direct=True)`, the set-based computation of every region at once, no cache,
  with the steps current;
- cold, no steps current: the same with the teachers counted from the rows (what the first
  reader pays after a change of the mentorship rule, which touches every
  region, until the steps are rebuilt); its figures are checked equal to the steps' ones;
- one region cold: `compute_direct` + `breakdown_direct` of one region (what a page pays for its
  region after a write there);
- live: a route is written for a teacher of one municipality, then `compute_all()` runs: it reads
  the stamps, takes 84 regions from the cache and recomputes the one region written to; its
  figures are compared with the direct ones; the route is deleted and it runs again;
- warm: `compute_all()` with no write in between, and the pages' path (`compute` + `breakdown`
  per region, one stamp query each);
and the ratios to the baseline and to the bare scan, the query counts and the load average.
Country totals add the regions' pairs (a person employed in two regions counts in both).
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

# The targets of issue 10, point 1 (ms): the demo region on SQLite, the whole country on
# PostgreSQL (about twice a bare scan of the rows), and at least 10x faster than the baseline.
SQLITE_TARGET_MS = 50
POSTGRES_TARGET_MS = 500
SCAN_FACTOR_TARGET = 2
BASELINE_FACTOR_TARGET = 10


def everywhere(args: argparse.Namespace) -> None:
    """Run this script on the SQLite demo and on the PostgreSQL country, then the targets."""
    runs = {"sqlite": "", "postgresql": args.pg_url}
    summaries: dict[str, dict[str, Any]] = {}
    for vendor, url in runs.items():
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        if url:
            env["DATABASE_URL"] = url
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            command = [sys.executable, __file__, "--repeat", str(args.repeat), "--json", out.name]
            command += ["--year", str(args.year)]
            sample = args.baseline_sample if vendor == "sqlite" else args.pg_baseline_sample
            command += ["--baseline-sample", str(sample)]
            print(f"===== {vendor}: {' '.join(command[1:])}", flush=True)
            subprocess.run(command, env=env, check=True, cwd=ROOT)
            summaries[vendor] = json.loads(Path(out.name).read_text() or "{}")
    print("===== targets (issue 10, point 1)")
    demo, country = summaries["sqlite"], summaries["postgresql"]
    checks = [
        (
            "SQLite demo region, cold",
            demo["cold_ms"],
            f"< {SQLITE_TARGET_MS} ms",
            demo["cold_ms"] < SQLITE_TARGET_MS,
        ),
        (
            "SQLite demo region, live (after one write)",
            demo["live_ms"],
            f"< {SQLITE_TARGET_MS} ms",
            demo["live_ms"] < SQLITE_TARGET_MS,
        ),
        (
            "PostgreSQL country, live (after one write)",
            country["live_ms"],
            f"< {POSTGRES_TARGET_MS} ms",
            country["live_ms"] < POSTGRES_TARGET_MS,
        ),
        (
            "PostgreSQL country, warm",
            country["warm_ms"],
            f"< {POSTGRES_TARGET_MS} ms",
            country["warm_ms"] < POSTGRES_TARGET_MS,
        ),
        (
            "PostgreSQL country, cold",
            country["cold_ms"],
            f"< {POSTGRES_TARGET_MS} ms and < {SCAN_FACTOR_TARGET}x the bare scan "
            f"({country['scan_ms']:.0f} ms): {country['cold_ms'] / country['scan_ms']:.1f}x",
            country["cold_ms"] < min(POSTGRES_TARGET_MS, SCAN_FACTOR_TARGET * country["scan_ms"]),
        ),
    ]
    checks.append(
        (
            "PostgreSQL country, cold, no steps current",
            country["unstepped_ms"],
            f"after a global write, until the rebuild: {country['unstepped_ms'] / country['scan_ms']:.1f}x the scan",
            country["unstepped_ms"] < POSTGRES_TARGET_MS,
        )
    )
    for name, summary in (("SQLite", demo), ("PostgreSQL", country)):
        for path in ("cold", "live", "warm"):
            factor = summary["baseline_ms"] / summary[f"{path}_ms"]
            checks.append(
                (
                    f"{name}, {path} vs the baseline",
                    summary[f"{path}_ms"],
                    f">= {BASELINE_FACTOR_TARGET}x faster: {factor:.1f}x",
                    factor >= BASELINE_FACTOR_TARGET,
                )
            )
    for label, ms, target, met in checks:
        print(f"{label:<44} {ms:>10.1f} ms  {target:<58} {'met' if met else 'NOT met'}")
    print(f"load average at the end: {load()}")


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from profdev.indicators import compute, steps  # noqa: E402
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


def flatten(result: list[compute.RegionFigures]) -> list[Any]:
    rows = []
    for item in result:
        rows.append(("r", item.region.pk, [(f.numerator, f.denominator) for f in item.figures]))
        for row in item.rows:
            rows.append(
                ("m", row.municipality.pk, [(f.numerator, f.denominator) for f in row.figures])
            )
    return rows


def line(label: str, ms: float, queries: int | None = None, note: str = "") -> None:
    q = f"{queries:>6} queries" if queries is not None else " " * 14
    print(f"{label:<64} {ms:>10.1f} ms {q}  {note}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)
    parser.add_argument(
        "--baseline-sample",
        type=int,
        default=300,
        help="time the per-municipality loop on at most N municipalities and extrapolate",
    )
    parser.add_argument("--repeat", type=int, default=3, help="median of N runs where noted")
    parser.add_argument("--json", help="also write the main figures to this file")
    parser.add_argument(
        "--everywhere",
        action="store_true",
        help="run on the SQLite demo and on the PostgreSQL country, then print the targets",
    )
    parser.add_argument(
        "--pg-url",
        default="postgres://postgres@127.0.0.1:5432/country",
        help="the country database for --everywhere",
    )
    parser.add_argument(
        "--pg-baseline-sample", type=int, default=100, help="--baseline-sample for PostgreSQL"
    )
    args = parser.parse_args()
    if args.everywhere:
        everywhere(args)
        return
    regions = list(Region.objects.order_by("pk"))
    if not regions:
        sys.exit("Нет данных: python manage.py seed_demo или generate_country")
    municipalities = list(Municipality.objects.select_related("region").order_by("pk"))
    as_of = compute.default_as_of(args.year)
    print(
        f"{connection.vendor}, year {args.year}, {len(regions)} regions, "
        f"{len(municipalities)} municipalities, cache {cache.__class__.__name__}, "
        f"{os.cpu_count()} cores, load average {load()}",
        flush=True,
    )

    def scan() -> int:
        rows = 0
        with connection.cursor() as cursor:
            for table in SCANNED:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                rows += cursor.fetchone()[0]
        return rows

    scan()  # the first statements of a connection pay for its start
    scan_ms, _scan_q, rows = measure(scan, args.repeat)
    line(
        f"bare scan: COUNT(*) of {len(SCANNED)} source tables ({rows:,} rows, "
        f"median of {args.repeat})",
        scan_ms,
        len(SCANNED),
    )

    if steps.available():
        # The teachers' count steps (decision 0012) of the regions written to since they were
        # built (by the last run's live writes, say): what the Celery task does after writes.
        stale = steps.stale_regions([region.pk for region in regions])
        started = time.monotonic()
        built = steps.build(stale)
        line(
            f"count steps: {len(stale)} out-of-date regions rebuilt ({built:,} rows)",
            (time.monotonic() - started) * 1000,
        )
    cold_ms, cold_q, direct = measure(
        lambda: compute.compute_all(args.year, as_of, direct=True), args.repeat
    )
    line(
        f"cold: every region and municipality, set-based (median of {args.repeat})", cold_ms, cold_q
    )
    unstepped_ms = cold_ms
    if steps.available():
        # After a write that concerns every region (the mentorship rule, a TRUNCATE)
        # no region's steps are current until the rebuild: the teachers counted from the rows.
        with override_settings(INDICATOR_STEPS=False):
            unstepped_ms, unstepped_q, unstepped = measure(
                lambda: compute.compute_all(args.year, as_of, direct=True), args.repeat
            )
        line(
            f"cold, no count steps current (after a global write; median of {args.repeat})",
            unstepped_ms,
            unstepped_q,
        )
        assert flatten(unstepped) == flatten(direct), "the steps' figures differ from the rows'"

    biggest = max(regions, key=lambda r: sum(1 for m in municipalities if m.region_id == r.pk))
    params = compute.Params(args.year, biggest, None, as_of)
    one_ms, one_q, _ = measure(
        lambda: (compute.compute_direct(params), compute.breakdown_direct(params)), args.repeat
    )
    line(f"one region cold: compute_direct + breakdown_direct ({biggest.name[:18]})", one_ms, one_q)

    cache.clear()
    fill_ms, fill_q, _ = measure(lambda: compute.compute_all(args.year, as_of))
    line("cache fill: compute_all() with an empty cache", fill_ms, fill_q)
    warm_ms, warm_q, warm = measure(lambda: compute.compute_all(args.year, as_of), args.repeat)
    line(f"warm: compute_all(), no write in between (median of {args.repeat})", warm_ms, warm_q)
    assert flatten(warm) == flatten(direct), "cached figures differ from the direct ones"

    def pages() -> None:
        for region in regions:
            region_params = compute.Params(args.year, region, None, as_of)
            compute.compute(region_params)
            compute.breakdown(region_params)

    pages_ms, pages_q, _ = measure(pages, args.repeat)
    line("warm, pages' path: compute + breakdown per region", pages_ms, pages_q)

    from profdev.indicators.tests.factories import route
    from profdev.people.models import Employment

    # One write in one municipality, then the whole country: --repeat times, each in another
    # region (its first school employment), and once more after deleting the route.
    live_times: list[float] = []
    live_q = 0
    by_region: dict[int, Any] = {}
    # One write per region first (PostgreSQL: the first school employment of each region), then
    # other municipalities of the same regions (SQLite: the demo has one region).
    employments = (
        Employment.objects.filter(
            end_date__isnull=True, organization__kind="school", organization__is_active=True
        )
        .select_related("teacher", "organization__municipality", "organization__region")
        .order_by("organization__region_id", "pk")
    )
    if connection.vendor == "postgresql":
        employments = employments.distinct("organization__region_id")
    by_place: dict[tuple[int, int], Any] = {}
    for employment in employments:
        place = (employment.organization.region_id, employment.organization.municipality_id)
        by_place.setdefault(place, employment)
    firsts = {}
    for (region_id, _municipality), employment in by_place.items():
        firsts.setdefault(region_id, employment)
    rest = [e for e in by_place.values() if e not in firsts.values()]
    by_region = {index: e for index, e in enumerate([*firsts.values(), *rest])}
    chosen = list(by_region.values())[: args.repeat]
    for employment in chosen:
        written = route(employment.teacher, datetime.date(args.year, 6, 1))
        live_ms, live_q, after = measure(lambda: compute.compute_all(args.year, as_of))
        live_times.append(live_ms)
        region = employment.organization.region
        region_params = compute.Params(args.year, region, None, as_of)
        fresh = compute.RegionFigures(
            region, compute.compute_direct(region_params), compute.breakdown_direct(region_params)
        )
        expected = [fresh if item.region.pk == region.pk else item for item in direct]
        before = next(item for item in direct if item.region.pk == region.pk)
        place = employment.organization.municipality.name[:16]
        line(f"live: compute_all() after a route written in {place}", live_ms, live_q)
        print(
            f"{'':<64} equal to the direct figures: {flatten(after) == flatten(expected)}; "
            f"indicator 1 of {region.name[:24]}: {before.figures[0].numerator} -> "
            f"{fresh.figures[0].numerator}"
        )
        written.delete()
        back_ms, back_q, back = measure(lambda: compute.compute_all(args.year, as_of))
        live_times.append(back_ms)
        line("live: compute_all() after deleting that route", back_ms, back_q)
        assert flatten(back) == flatten(direct), "after deleting the route figures must be back"
    live_ms = statistics.median(live_times)
    line(
        f"live: median of {len(live_times)} (max {max(live_times):.0f} ms)",
        live_ms,
        live_q,
    )

    sample = municipalities[: args.baseline_sample]
    muni_ms, muni_q, _ = measure(
        lambda: [compute.compute_orm(compute.Params(args.year, m.region, m, as_of)) for m in sample]
    )
    region_ms, region_q, _ = measure(
        lambda: [compute.compute_orm(compute.Params(args.year, r, None, as_of)) for r in regions]
    )
    factor = len(municipalities) / len(sample)
    note = ""
    if factor > 1:
        note = f"(timed {len(sample)} of {len(municipalities)} municipalities, extrapolated)"
    base_ms = muni_ms * factor + region_ms
    base_q = int(muni_q * factor) + region_q
    line("baseline: per-scope ORM query set per municipality and region", base_ms, base_q, note)
    print(
        f"ratios to the baseline: cold {base_ms / cold_ms:.1f}x, live {base_ms / live_ms:.0f}x, "
        f"warm {base_ms / warm_ms:.0f}x faster"
    )
    print(
        f"ratios to the bare scan: cold {cold_ms / scan_ms:.1f}x, live {live_ms / scan_ms:.2f}x, "
        f"warm {warm_ms / scan_ms:.2f}x"
    )
    print(f"load average at the end: {load()}")
    if args.json:
        summary = {
            "vendor": connection.vendor,
            "scan_ms": scan_ms,
            "cold_ms": cold_ms,
            "unstepped_ms": unstepped_ms,
            "one_region_ms": one_ms,
            "live_ms": live_ms,
            "live_max_ms": max(live_times),
            "warm_ms": warm_ms,
            "baseline_ms": base_ms,
            "load": load(),
        }
        Path(args.json).write_text(json.dumps(summary))

    totals: dict[str, list[int]] = {code: [0, 0] for code in IndicatorCode.values}
    for item in direct:
        for figure in item.figures:
            totals[figure.code][0] += figure.numerator or 0
            totals[figure.code][1] += figure.denominator or 0
    print("country totals (sum of regions):")
    for code, (num, den) in totals.items():
        share = f" = {num / den:.4f}" if den else ""
        print(f"  {code}: {num}/{den or '—'}{share}")


if __name__ == "__main__":
    main()
