"""Time the seven indicators for the region and for every municipality on the demo data.

Run after `python manage.py seed_demo`:
    DJANGO_SETTINGS_MODULE=config.settings.dev python bench/indicators_bench.py [--year Y]
Run ANALYZE after seeding on PostgreSQL: without statistics the planner picks nested loops and
the same queries take 15-20 s instead of 0.1-0.2 s.

Measured 23 Nov 2026, PostgreSQL, demo data (20 municipalities, 330 schools, ~11 000 teachers,
7 694 enrollments, 7 071 routes), year 2025, after ANALYZE:
    region, all seven: ~170 ms (6 queries)
    every municipality, all seven (breakdown): ~115 ms (8 queries)
    for comparison, compute() called per municipality: ~1 120 ms (120 queries)
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from profdev.indicators import compute  # noqa: E402
from profdev.orgs.models import Municipality, Region  # noqa: E402


def timed(label: str, func, repeat: int) -> None:
    runs = []
    queries = 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            func()
            runs.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
    print(
        f"{label:<55} median {statistics.median(runs):8.1f} ms  min {min(runs):8.1f} ms  queries {queries}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    region = Region.objects.order_by("pk").first()
    if region is None:
        sys.exit("Нет данных: сначала python manage.py seed_demo")
    as_of = compute.default_as_of(args.year)
    municipalities = list(Municipality.objects.filter(region=region))
    params = compute.Params(args.year, region, None, as_of)
    print(
        f"{connection.vendor}, region {region}, year {args.year}, {len(municipalities)} municipalities"
    )
    timed("region: all seven (compute)", lambda: compute.compute(params), args.repeat)
    timed(
        "every municipality: all seven (breakdown, GROUP BY)",
        lambda: compute.breakdown(params),
        args.repeat,
    )
    timed(
        "every municipality one by one (compute per municipality)",
        lambda: [
            compute.compute(compute.Params(args.year, region, m, as_of)) for m in municipalities
        ],
        max(1, args.repeat // 2),
    )
    first = compute.compute(params)
    for figure in first:
        print(
            f"  {figure.code}: {figure.numerator}/{figure.denominator} = {figure.value} ({figure.status})"
        )


if __name__ == "__main__":
    main()
