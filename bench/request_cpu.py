"""Where one request's CPU goes: the app process and its PostgreSQL backend, per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/country CACHE_URL=redis://127.0.0.1:6379/5 \
        python bench/request_cpu.py --username g01-official [--repeat 50] [--profile teachers]

Runs the pages of the load bench (dashboard, teacher list, /healthz) through the whole middleware
stack (Django's test client, `config.settings.bench`, one persistent connection) as a logged-in
official, warm, one request at a time, and prints per request: wall time, the app process's CPU
(`time.process_time`), the CPU of its PostgreSQL backend (from /proc, so only on the same
machine), and the query count. `--profile PAGE` adds cProfile's top functions for that page.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
os.environ.setdefault("DB_POOL", "0")
os.environ.setdefault("DB_CONN_MAX_AGE", "600")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from proc_cpu import process_cpu  # noqa: E402

from profdev.accounts.models import User  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--username", default="g01-official")
    parser.add_argument("--year", default="2025")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--profile", default="", help="dashboard, teachers or healthz")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    client = Client()
    client.force_login(User.objects.get(username=args.username))
    pages = {
        "dashboard": f"/indicators/?year={args.year}",
        "teachers": "/people/teachers/?page={page}",
        "healthz": "/healthz",
    }
    pid = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    print(
        f"{connection.vendor}, as {args.username}, {args.repeat} warm requests per page, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"  {'page':<12}{'wall ms':>9}{'app CPU ms':>12}{'DB CPU ms':>11}{'queries':>9}")
    for name, url in pages.items():
        for page in range(1, 4):  # warm-up: caches, templates, the connection
            client.get(url.format(page=page))
        walls, cpus, queries = [], [], 0
        db_before = process_cpu(pid)
        profiler = cProfile.Profile() if name == args.profile else None
        for n in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                wall, cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                response = client.get(url.format(page=1 + n % 20))
                if profiler:
                    profiler.disable()
                cpus.append((time.process_time() - cpu) * 1000)
                walls.append((time.perf_counter() - wall) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(ctx.captured_queries)
        db_ms = (process_cpu(pid) - db_before) * 1000 / args.repeat
        print(
            f"  {name:<12}{statistics.median(walls):>9.1f}{statistics.median(cpus):>12.1f}"
            f"{db_ms:>11.1f}{queries:>9}"
        )
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
