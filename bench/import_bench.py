"""Rows per second of importing N generated teachers, against a bare python-calamine read.

Usage (from the repository root):
    .venv/bin/python bench/import_bench.py [--rows 100000] [--database URL|sqlite ...] [--repeat 2]

Each --database is measured in its own process, one after the other, from the same file:
`sqlite` is a fresh SQLite file in a temporary directory; a postgres:// URL must name a
database you own (it is migrated; the generated teachers are deleted between the runs, and
nothing else is touched). Without --database: SQLite, plus DATABASE_URL when it is PostgreSQL.
    createdb -h 127.0.0.1 -U postgres import_bench
    .venv/bin/python bench/import_bench.py --database postgres://postgres@127.0.0.1:5432/import_bench --database sqlite

It generates an XLSX of N teachers at one school, then times, from the same file:
  1. python-calamine reading the sheet to Python values (the baseline; best of three);
  2. the import's dry run (read + header + checks + matching, no writes);
  3. the commit with the audit trail switched off (only to measure what the audit costs);
  4. the commit with the audit trail (as the system runs: one transaction, history rows);
  5. the same file again (all rows unchanged).
The two commits run --repeat times, alternating, each from an emptied table; the best of each
is kept. Every figure is printed with its ratio to the baseline, then the audit on/off ratio,
the CPU seconds spent by this process and (when the database runs on this machine) by the
PostgreSQL backend, and the load average before and after.
"""

import argparse
import contextlib
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from proc_cpu import process_cpu

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_ROWS_PER_S = 20_000
TARGET_RATIO = 3.0
TARGET_AUDIT = 1.3
SCHOOL = "МБОУ «Бенчмарк СОШ»"
# The generated teachers' SNILS all start with 1 (serials 100,000,001 and up).
GENERATED = "snils >= '1' AND snils < '2'"


def generate(path: Path, rows: int, school_name: str = SCHOOL) -> None:
    import xlsxwriter

    from profdev.common.identifiers import make_snils

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    header = ["№ п/п", "Фамилия", "Имя", "Отчество", "СНИЛС", "Должность", "Педстаж с",
              "Организация"]  # fmt: skip
    for col, title in enumerate(header):
        sheet.write_string(0, col, title)
    positions = ["учитель", "заместитель директора по УВР", "педагог-психолог", "учитель-логопед"]
    for n in range(1, rows + 1):
        snils = make_snils(100_000_000 + n)
        values = [
            n,
            f"Фамилия{n % 997}",
            f"Имя{n % 101}",
            "Отчество",
            f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}",
            positions[n % 4],
        ]
        for col, value in enumerate(values):
            sheet.write(n, col, value)
        sheet.write_datetime(
            n, 6, datetime.datetime(1990 + n % 30, 1 + n % 12, 1 + n % 28), date_format
        )
        sheet.write_string(n, 7, school_name)
    workbook.close()


class Meter:
    """Wall time, this process's CPU time and the database backend's CPU time of a step."""

    def __init__(self, connection: Any) -> None:
        self.backend_pid = 0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            if os.access(f"/proc/{pid}/stat", os.R_OK):  # only when the server runs here
                self.backend_pid = pid

    def backend_cpu(self) -> float:
        return process_cpu(self.backend_pid) if self.backend_pid else 0.0

    def measure(self, func: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
        wall, cpu, backend = time.perf_counter(), time.process_time(), self.backend_cpu()
        result = func()
        return result, {
            "seconds": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "db_cpu": self.backend_cpu() - backend,
        }


def run_one(database: str, path: Path, rows: int, repeat: int, out: Path) -> None:
    """Measure one database in this process (Django is set up once per process)."""
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import DatabaseError, connection
    from python_calamine import CalamineWorkbook

    from profdev.accounts.choices import Role
    from profdev.accounts.models import User
    from profdev.imports import bulk
    from profdev.imports.services import import_run
    from profdev.orgs.models import Municipality, Organization, Region
    from profdev.people.models import Employment, Teacher

    call_command("migrate", verbosity=0)
    region, _ = Region.objects.get_or_create(code="70", defaults={"name": "Томская область"})
    municipality, _ = Municipality.objects.get_or_create(
        region=region, name="Томский район", defaults={"kind": "municipal_district"}
    )
    Organization.objects.get_or_create(region=region, municipality=municipality, name=SCHOOL)
    user, _ = User.objects.get_or_create(
        username="bench", defaults={"role": Role.OPERATOR, "region": region}
    )
    engine = connection.vendor
    meter = Meter(connection)

    def wipe() -> None:
        """Remove the generated teachers and their history, so each commit starts alike."""
        teachers = f"SELECT id FROM people_teacher WHERE {GENERATED}"
        with connection.cursor() as cursor:
            if engine == "postgresql":
                # Statistics of the rows just imported: planned from the emptied tables' (the
                # last wipe's ANALYZE), the DELETE below once ran for 17 minutes in nested loops.
                cursor.execute("ANALYZE people_teacher, people_employment")
            cursor.execute(
                f"DELETE FROM people_historicalemployment WHERE teacher_id IN ({teachers})"
            )
            cursor.execute(f"DELETE FROM people_historicalteacher WHERE id IN ({teachers})")
            cursor.execute(f"DELETE FROM people_employment WHERE teacher_id IN ({teachers})")
            cursor.execute(f"DELETE FROM people_teacher WHERE {GENERATED}")
            # The places too: their dead rows would slow the next run's inserts.
            tables = ("people_teacher", "people_employment", "people_historicalteacher",
                      "people_historicalemployment", "people_teacherplace")  # fmt: skip
            if engine == "postgresql":
                for table in tables:
                    cursor.execute(f"VACUUM ANALYZE {table}")
                # The wipe's WAL written out now, not by a checkpoint during the next commit
                # (which then writes whole pages to the WAL): the tries start alike.
                with contextlib.suppress(DatabaseError):
                    cursor.execute("CHECKPOINT")
            else:
                cursor.execute("VACUUM")

    wipe()
    print(f"\n== {engine} ({connection.settings_dict.get('NAME')})", flush=True)
    results: dict[str, dict[str, float]] = {}

    def show(label: str, figures: dict[str, float]) -> None:
        base = results.get("baseline", figures)["seconds"]
        db = f"  db cpu {figures['db_cpu']:5.2f} s" if meter.backend_pid else ""
        print(
            f"{label:<40} {figures['seconds']:7.2f} s {rows / figures['seconds']:9,.0f} rows/s "
            f"{figures['seconds'] / base:6.2f}x baseline   cpu {figures['cpu']:5.2f} s{db}",
            flush=True,
        )

    def bare_read() -> Any:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()

    reads = [meter.measure(bare_read)[1] for _ in range(3)]
    results["baseline"] = min(reads, key=lambda figures: figures["seconds"])
    show("bare python-calamine read (best of 3)", results["baseline"])

    def run(**kwargs: Any) -> dict[str, Any]:
        return import_run(user=user, kind="teachers", path=str(path), **kwargs)

    summary, results["dry run"] = meter.measure(run)
    assert summary["created"] == rows, summary["error"] or summary["rejected_rows"][:3]
    show("dry run (read + checks + matching)", results["dry run"])

    # Database CPU of each COPY and of the commit (the deferred foreign-key checks), for the
    # commit with audit: where the database's share of the time goes.
    steps: list[tuple[str, float]] = []
    db: Any = connection
    copy, commit_transaction = bulk._copy, db._commit

    def timed_copy(model: Any, columns: Any, rows: Any, raw: Any = None) -> None:
        # From the import's COPY writer thread too: the backend's CPU is read from /proc.
        before = meter.backend_cpu()
        copy(model, columns, rows, raw)
        steps.append((f"COPY {model._meta.db_table}", meter.backend_cpu() - before))

    def timed_commit() -> None:
        before = meter.backend_cpu()
        commit_transaction()
        steps.append(("COMMIT (deferred foreign-key checks)", meter.backend_cpu() - before))

    for attempt in range(repeat):
        for audit in (False, True):
            label = f"commit, audit {'ON' if audit else 'OFF'}"

            def commit(audit: bool = audit) -> dict[str, Any]:
                return run(commit=True, audit=audit)

            steps.clear()
            if meter.backend_pid and engine == "postgresql":
                bulk._copy, db._commit = timed_copy, timed_commit
            try:
                summary, figures = meter.measure(commit)
            finally:
                bulk._copy, db._commit = copy, commit_transaction
            assert summary["committed"] and summary["created"] == rows, summary
            history = Teacher.history.filter(history_type="+").count()
            assert history == (rows if audit else 0), history
            if audit:
                assert Employment.history.filter(history_type="+").count() == rows
            show(f"{label} (try {attempt + 1})", figures)
            for step, seconds in steps:
                print(f"    database CPU {seconds:5.2f} s  {step}", flush=True)
            if label not in results or figures["seconds"] < results[label]["seconds"]:
                results[label] = figures
            if not audit or attempt < repeat - 1:
                wipe()
    summary, results["same file again"] = meter.measure(lambda: run(commit=True))
    assert summary["unchanged"] == rows, summary
    show("same file again (all unchanged)", results["same file again"])
    wipe()
    out.write_text(json.dumps({"engine": engine, "results": results}))


def report(engine: str, results: dict[str, dict[str, float]], rows: int) -> list[str]:
    base = results["baseline"]["seconds"]
    lines = [f"{engine}: best of each step", "| step | seconds | rows/s | × bare read |",
             "|---|---|---|---|"]  # fmt: skip
    for label in ("baseline", "dry run", "commit, audit OFF", "commit, audit ON",
                  "same file again"):  # fmt: skip
        seconds = results[label]["seconds"]
        lines.append(f"| {label} | {seconds:.2f} | {rows / seconds:,.0f} | {seconds / base:.2f} |")
    on, off = results["commit, audit ON"], results["commit, audit OFF"]
    rate, ratio, audit = rows / on["seconds"], on["seconds"] / base, on["seconds"] / off["seconds"]
    lines.append(
        f"audit on/off {audit:.2f}x (CPU of both processes: "
        f"{(on['cpu'] + on['db_cpu']) / (off['cpu'] + off['db_cpu']):.2f}x)"
    )
    if on["db_cpu"]:
        lines.append(
            f"commit with audit: this process {on['cpu']:.2f} CPU-s, database backend "
            f"{on['db_cpu']:.2f} CPU-s, wall {on['seconds']:.2f} s"
        )
    lines.append(
        f"targets: {rate:,.0f} rows/s >= {TARGET_ROWS_PER_S:,}: "
        f"{'met' if rate >= TARGET_ROWS_PER_S else 'NOT met'}; "
        f"{ratio:.2f}x the bare read <= {TARGET_RATIO}x: "
        f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}; "
        f"audit {audit:.2f}x <= {TARGET_AUDIT}x: {'met' if audit <= TARGET_AUDIT else 'NOT met'}"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", nargs=2, metavar=("FILE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.database[0], Path(args.child[0]), args.rows, args.repeat,
                Path(args.child[1]))  # fmt: skip
        return

    databases = args.database or ["sqlite"]
    if not args.database and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases.insert(0, os.environ["DATABASE_URL"])
    workdir = Path(tempfile.mkdtemp(prefix="profdev-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    path = workdir / "teachers.xlsx"
    started = time.perf_counter()
    generate(path, args.rows)
    print(
        f"generated {args.rows:,} rows, {path.stat().st_size / 1024 / 1024:.1f} MB "
        f"in {time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.2f} "
        f"on {os.cpu_count()} CPUs",
        flush=True,
    )
    summaries: list[str] = []
    for number, database in enumerate(databases):
        url = f"sqlite:///{workdir / 'bench.sqlite3'}" if database == "sqlite" else database
        out = workdir / f"result-{number}.json"
        load = os.getloadavg()[0]
        command = [sys.executable, __file__, "--rows", str(args.rows), "--repeat",
                   str(args.repeat), "--database", url, "--child", str(path), str(out)]  # fmt: skip
        subprocess.run(command, check=True)
        data = json.loads(out.read_text())
        summaries += ["", *report(data["engine"], data["results"], args.rows)]
        summaries.append(f"load average {load:.2f} before, {os.getloadavg()[0]:.2f} after")
    print("\n".join(summaries))


if __name__ == "__main__":
    main()
