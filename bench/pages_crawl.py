"""Every page a user can reach by links, as each demo user, with its time and query count.

    make seed && .venv/bin/python bench/pages_crawl.py            # SQLite demo, every demo user
    .venv/bin/python bench/pages_crawl.py --users operator --slow-ms 500
    DATABASE_URL=... .venv/bin/python bench/pages_crawl.py --users g01-official

Starts at the home page and follows the links (href and hx-get) of each HTML page, in the
process (Django's test client, no server), up to --per-shape pages of each URL shape (numbers
replaced: /learning/routes/N/) and --pages in all. Logs out, file downloads other than the
lists' XLSX exports and the admin are skipped. Prints every page that failed (status 500 or
400, or a link to a page that is not found, with the page that shows the link) and every page slower than --slow-ms or with more than --max-queries queries, slowest
first: where to look for a missing index or a query per row. It measures, it asserts nothing;
the exit status is 1 when a page failed.
"""

import argparse
import collections
import os
import re
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from profdev.accounts.models import User  # noqa: E402

DEMO_USERS = ["operator", "official", "methodist", "tomsk_district", "school", "teacher"]
SKIPPED = re.compile(r"/logout|/download|/rejected|/template|/static/|/media/|/admin/|/api/")
LINKS = re.compile(r'(?:href|hx-get)="([^"#]+)"')


def crawl(username: str, pages: int, per_shape: int) -> list[tuple[float, int, int, str, str]]:
    """(milliseconds, queries, status, path, the page that links to it) of every page
    reached by `username`."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    queue, seen = collections.deque([("/", "")]), {"/"}
    shapes: collections.Counter[str] = collections.Counter()
    found = []
    while queue and len(found) < pages:
        path, origin = queue.popleft()
        shape = re.sub(r"\d+", "N", path)
        if shapes[shape] >= per_shape:
            continue
        shapes[shape] += 1
        connection.queries_log.clear()  # it keeps 9,000: beyond, the capture would count 0
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)  # an export is timed to its last byte
            elapsed = (time.perf_counter() - started) * 1000
        found.append((elapsed, len(queries.captured_queries), response.status_code, path, origin))
        location = response.get("Location", "") if 300 <= response.status_code < 400 else ""
        if location.startswith("/") and location not in seen:  # a redirect leads on
            seen.add(location)
            queue.append((location, path))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in LINKS.findall(response.content.decode()):
            target = urllib.parse.urljoin(path, link.replace("&amp;", "&"))
            if target.startswith("/") and not SKIPPED.search(target) and target not in seen:
                seen.add(target)
                queue.append((target, path))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", default=",".join(DEMO_USERS))
    parser.add_argument("--pages", type=int, default=400, help="at most, per user")
    parser.add_argument("--per-shape", type=int, default=2)
    parser.add_argument("--slow-ms", type=float, default=1000)
    parser.add_argument("--max-queries", type=int, default=100)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.DEBUG = False  # the queries are counted by the capture, not kept by DEBUG
    failed = False
    print(f"{connection.vendor}: {connection.settings_dict['NAME']}")
    for username in args.users.split(","):
        if not User.objects.filter(username=username).exists():
            print(f"\n{username}: no such user in this database")
            failed = True
            continue
        found = crawl(username, args.pages, args.per_shape)
        broken = [row for row in found if row[2] >= 500 or row[2] in (400, 404)]
        heavy = [row for row in found if row[0] > args.slow_ms or row[1] > args.max_queries]
        total = sum(row[0] for row in found)
        print(
            f"\n{username}: {len(found)} pages, {total / 1000:.1f} s in all, "
            f"{len(broken)} failed, {len(heavy)} over {args.slow_ms:.0f} ms "
            f"or {args.max_queries} queries"
        )
        for elapsed, queries, status, path, origin in sorted(broken + heavy, reverse=True):
            where = f"  (linked from {origin})" if status != 200 else ""
            print(f"  {elapsed:8.0f} ms {queries:6d} queries  {status}  {path}{where}")
        failed = failed or bool(broken)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
