"""The official's dashboard page (figures, 4-year trend, municipality table) in one process.

    python bench/dashboard_bench.py                 # SQLite demo: the demo official
    DATABASE_URL=... python bench/dashboard_bench.py --username g01-official

Prints the time and query count of the page with an empty cache (what the first reader after a
write pays) and with a warm cache, median of --repeat runs each.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from profdev.accounts.models import User  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--username", default="official")
    parser.add_argument("--year", default="2025")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    user = User.objects.get(username=args.username)
    client = Client()
    client.force_login(user)
    url = f"/indicators/?year={args.year}"
    print(f"{connection.vendor}, {url} as {args.username}")
    for label, clear in (("empty cache", True), ("warm cache", False)):
        times, queries = [], 0
        for _ in range(args.repeat):
            if clear:
                cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            queries = len(ctx.captured_queries)
        print(
            f"  dashboard, {label:<12} median {statistics.median(times):8.1f} ms  "
            f"min {min(times):8.1f} ms  queries {queries}"
        )


if __name__ == "__main__":
    main()
