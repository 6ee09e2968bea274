"""The dashboard and the teacher list under concurrent load: gunicorn + locust on 127.0.0.1.

One command (on the generated country or the demo):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/country python bench/load_bench.py
    python bench/load_bench.py --demo      # SQLite demo, as the demo official

Officials log in once before the runs (their sessions are shared by the simulated users), so the
load measures the pages, not password hashing. It starts gunicorn (`config.settings.bench`: DEBUG
off; gthread workers; PostgreSQL connections from psycopg's pool, one pool per worker sized to its
threads, or persistent connections with --no-pool) on a free port, warms it up, then runs locust
headless, bounded in users and time:
  0. one user without think time for 20 s (the service time of each page, no queueing),
  1. 50 users without think time, 2. 200 users with 1-3 s think time, 3. the same with
     `--writes` (default 1) writes per second into the users' regions (`Writer`),
and prints p50/p95/p99 (ms), requests per second and failures per page and in total, with the
load average of the machine around each run. `--pages dashboard,teachers,healthz` adds /healthz
(middleware, session, one SELECT 1) as the trivial baseline measured in the same run.
"""

import argparse
import contextlib
import csv
import http.cookiejar
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from proc_cpu import TICKS, process_cpu

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def database_backends(env: dict) -> list[int]:
    """The PostgreSQL backends connected to the bench's database (the pools' connections)."""
    url = env.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return []
    result = subprocess.run(
        [
            "psql", url, "-Atc",
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()",
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return [int(line) for line in result.stdout.split() if line.strip().isdigit()]


def machine_cpu() -> float:
    """CPU seconds the whole machine has been busy (all processes, every session's)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / TICKS  # minus idle and iowait


class CpuMeter:
    """CPU seconds of gunicorn (master and workers), its PostgreSQL backends and locust over a run."""

    def __init__(self, server_pid: int, env: dict) -> None:
        self.server_pid = server_pid
        self.env = env

    def sample(self) -> tuple[dict[int, float], dict[int, float], float]:
        server = {pid: process_cpu(pid) for pid in [self.server_pid, *children(self.server_pid)]}
        database = {pid: process_cpu(pid) for pid in database_backends(self.env)}
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # finished children: locust
        return server, database, usage.ru_utime + usage.ru_stime

    @staticmethod
    def spent(before: dict[int, float], after: dict[int, float]) -> float:
        return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


class Writer(threading.Thread):
    """Writes into the regions being read at a steady rate while it runs, as editors would.

    Each write changes no value but fires every trigger a real edit fires: even ones update a
    teacher (new list stamps of the regions where they work: their lists and dashboards are
    rendered again), odd ones an employment (new indicator stamps too: the region's figures
    are computed again on its next dashboard). Teachers and employments are taken at random
    from the officials' regions, so every write invalidates pages the simulated users read.
    """

    def __init__(self, url: str, usernames: list[str], per_second: float) -> None:
        super().__init__(daemon=True)
        self.url, self.usernames, self.per_second = url, usernames, per_second
        self.stopped = threading.Event()
        self.done = 0

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            places = connection.execute(
                "SELECT p.teacher_id, p.employment_id FROM accounts_user u "
                "CROSS JOIN LATERAL (SELECT teacher_id, employment_id FROM people_teacherplace "
                "WHERE region_id = u.region_id LIMIT 50) p WHERE u.username = ANY(%s)",
                [self.usernames],
            ).fetchall()
            while places and not self.stopped.wait(1 / self.per_second):
                teacher_id, employment_id = random.choice(places)
                if self.done % 2 == 0:
                    sql, key = "UPDATE people_teacher SET email = email WHERE id = %s", teacher_id
                else:
                    sql = "UPDATE people_employment SET end_date = end_date WHERE id = %s"
                    key = employment_id
                connection.execute(sql, [key])
                self.done += 1

    def stop(self) -> int:
        self.stopped.set()
        self.join()
        return self.done


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except Exception:
            time.sleep(0.5)
    sys.exit(f"gunicorn did not answer at {url}")


def log_in(host: str, username: str, password: str) -> str:
    """A session id of the user, through the login form (CSRF token and cookie included)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{host}/accounts/login/").read().decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    data = urllib.parse.urlencode(
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": found.group(1) if found else "",
        }
    ).encode()
    request = urllib.request.Request(
        f"{host}/accounts/login/", data=data, headers={"Referer": f"{host}/accounts/login/"}
    )
    opener.open(request)
    for cookie in jar:
        if cookie.name == "sessionid":
            return str(cookie.value)
    sys.exit(f"could not log in as {username}")


def run_locust(
    host: str, users: int, seconds: int, wait: tuple[float, float], env: dict, meter: CpuMeter
) -> tuple[list, dict[str, float]]:
    """Locust's stats rows and the CPU seconds spent by the server, the database and locust."""
    with tempfile.TemporaryDirectory() as tmp:
        server0, database0, locust0 = meter.sample()
        started, machine0 = time.monotonic(), machine_cpu()
        prefix = str(Path(tmp) / "stats")
        run_env = env | {"LOAD_WAIT_MIN": str(wait[0]), "LOAD_WAIT_MAX": str(wait[1])}
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f", str(ROOT / "bench" / "locustfile.py"),
                "--headless", "--users", str(users), "--spawn-rate", str(max(10, users // 5)),
                "--run-time", f"{seconds}s", "--host", host, "--csv", prefix,
                "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5",
            ],
            env=run_env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        server1, database1, locust1 = meter.sample()
        cpu = {
            "wall": time.monotonic() - started,
            "gunicorn": meter.spent(server0, server1),
            "postgres": meter.spent(database0, database1),
            "locust": locust1 - locust0,
            "machine": machine_cpu() - machine0,
        }
        with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
            return list(csv.DictReader(handle)), cpu


def report(title: str, result: tuple[list, dict[str, float]]) -> None:
    rows, cpu = result
    print(f"{title} (load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    print(f"  {'page':<16}{'requests':>9}{'fails':>7}{'p50':>8}{'p95':>8}{'p99':>8}{'rps':>8}")
    for row in rows:
        if row["Name"] in ("login page", "login"):
            continue
        print(
            f"  {row['Name']:<16}{row['Request Count']:>9}{row['Failure Count']:>7}"
            f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}{float(row['Requests/s']):>8.1f}"
        )
    total = next((int(row["Request Count"]) for row in rows if row["Name"] == "Aggregated"), 0)
    if total:
        per_request = {
            name: cpu[name] * 1000 / total for name in ("gunicorn", "postgres", "locust")
        }
        print(
            f"  CPU per request (ms): gunicorn {per_request['gunicorn']:.1f}, "
            f"postgres {per_request['postgres']:.1f}, locust {per_request['locust']:.1f}, "
            f"total {sum(per_request.values()):.1f}; CPU used "
            f"{sum(cpu[name] for name in per_request) / cpu['wall']:.2f} cores of "
            f"{os.cpu_count()} (the whole machine: {cpu['machine'] / cpu['wall']:.2f}) "
            f"over {cpu['wall']:.0f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60, help="length of each locust run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--regions", type=int, default=85, help="officials of g01..gNN log in")
    parser.add_argument("--year", default="2025")
    parser.add_argument(
        "--pages",
        default="dashboard,teachers",
        help="dashboard, teachers, healthz (comma-separated)",
    )
    parser.add_argument("--demo", action="store_true", help="demo data: log in as demo-official")
    parser.add_argument(
        "--no-pool", action="store_true", help="persistent connections (CONN_MAX_AGE) instead"
    )
    parser.add_argument(
        "--writes",
        type=float,
        default=1.0,
        help="writes per second during a last 200-user run (0: no such run; PostgreSQL only)",
    )
    args = parser.parse_args()
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DB_POOL": "0" if args.no_pool else "1",
        "DB_POOL_MIN_SIZE": str(args.threads),
        "DB_POOL_MAX_SIZE": str(args.threads),
        "DB_CONN_MAX_AGE": "0" if not args.no_pool else os.environ.get("DB_CONN_MAX_AGE", "600"),
        "LOAD_REGIONS": str(args.regions),
        "LOAD_YEAR": args.year,
        "PYTHONPATH": str(ROOT),
    }
    if args.demo:  # the password seed_demo wrote for the official
        credentials = (ROOT / "var" / "demo-credentials.txt").read_text(encoding="utf-8")
        found = re.search(r"^official\s+(\S+)", credentials, re.MULTILINE)
        env["LOAD_USERNAME"] = "official"
        env["LOAD_PASSWORD"] = found.group(1) if found else ""
    server_log = open(Path(tempfile.gettempdir()) / f"load_bench_gunicorn_{port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", str(args.workers), "--threads", str(args.threads),
            "--worker-class", "gthread", "--timeout", "120", "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=server_log,
    )  # fmt: skip
    try:
        wait_up(f"{host}/accounts/login/")
        if args.demo:
            names = ["official"]
        else:
            names = [f"g{n:02d}-official" for n in range(1, min(args.regions, 20) + 1)]
        password = env.get("LOAD_PASSWORD", "country-2026")
        sessions = [log_in(host, name, password) for name in names]
        env["LOAD_SESSIONS"] = ",".join(sessions)
        env["LOAD_PAGES"] = args.pages
        started = time.perf_counter()
        for session in sessions:  # every official's dashboard once: the figures get cached
            request = urllib.request.Request(
                f"{host}/indicators/?year={args.year}", headers={"Cookie": f"sessionid={session}"}
            )
            urllib.request.urlopen(request, timeout=600).read()
        print(
            f"first dashboards of {len(sessions)} officials: {time.perf_counter() - started:.1f} s"
        )
        print(
            f"gunicorn {args.workers} workers x {args.threads} threads, "
            f"DB {env.get('DATABASE_URL', 'sqlite (var/)').split('@')[-1]}, "
            f"{'persistent connections' if args.no_pool else f'pool {args.threads} per worker'}, cache "
            f"{'redis' if env.get('CACHE_URL') else 'per-process memory'}, {args.seconds} s per run, "
            f"pages {args.pages}"
        )
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        meter = CpuMeter(server.pid, env)
        warm = run_locust(
            host, 10, 15, (0, 0), env, meter
        )  # fills the caches of the pages' figures
        report("warm-up: 10 users, 15 s (not counted)", warm)
        # One user, one request at a time: what each page costs the server without queueing.
        report("1 user, no think time, 20 s", run_locust(host, 1, 20, (0, 0), env, meter))
        report(
            "50 users, no think time",
            run_locust(host, 50, args.seconds, (0, 0), env, meter),
        )
        report(
            "200 users, 1-3 s think time",
            run_locust(host, 200, args.seconds, (1, 3), env, meter),
        )
        url = env.get("DATABASE_URL", "")
        if args.writes > 0 and url.startswith("postgres"):
            writer = Writer(url, names, args.writes)
            writer.start()
            result = run_locust(host, 200, args.seconds, (1, 3), env, meter)
            done = writer.stop()
            report(
                f"200 users, 1-3 s think time, {args.writes:g} writes/s into their regions "
                f"({done} writes)",
                result,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server_log.close()
        print(f"gunicorn log: {server_log.name}")


if __name__ == "__main__":
    main()
