"""Rows per second of importing N generated teachers, against a bare python-calamine read.

Usage (from the repository root):
    .venv/bin/python bench/import_bench.py [--rows 100000] [--database URL]

Without --database it uses DATABASE_URL when set, else a fresh SQLite file in a temporary
directory. For PostgreSQL give an empty database you own (it is migrated, and the imported
rows are deleted between the runs):
    createdb -h 127.0.0.1 -U postgres import_bench
    .venv/bin/python bench/import_bench.py --database postgres://postgres@127.0.0.1:5432/import_bench

It generates an XLSX of N teachers at one school, then times, from the same file:
  1. python-calamine reading the sheet to Python values (the baseline);
  2. the import's dry run (read + header + parse + match, no writes);
  3. the commit with the audit trail switched off (only to measure what the audit costs);
  4. the commit with the audit trail (as the system runs: one transaction, history rows);
  5. the same file again (all rows unchanged).
Each figure is printed with its ratio to the baseline; then the audit on/off ratio.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_ROWS_PER_S = 20_000
TARGET_RATIO = 3.0
TARGET_AUDIT = 1.3


def generate(path: Path, rows: int, school_name: str) -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="profdev-bench-"))
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from python_calamine import CalamineWorkbook

    from profdev.accounts.choices import Role
    from profdev.accounts.models import User
    from profdev.imports.services import import_run
    from profdev.orgs.models import Municipality, Organization, Region
    from profdev.people.models import Employment, Teacher

    call_command("migrate", verbosity=0)
    region, _ = Region.objects.get_or_create(code="70", defaults={"name": "Томская область"})
    municipality, _ = Municipality.objects.get_or_create(
        region=region, name="Томский район", defaults={"kind": "municipal_district"}
    )
    school, _ = Organization.objects.get_or_create(
        region=region, municipality=municipality, name="МБОУ «Бенчмарк СОШ»"
    )
    user, _ = User.objects.get_or_create(
        username="bench", defaults={"role": Role.OPERATOR, "region": region}
    )

    def wipe() -> None:
        """Remove the generated teachers (and their history) so each commit starts alike."""
        teachers = Teacher.objects.filter(snils__startswith="1")
        ids = list(teachers.values_list("pk", flat=True))
        for start in range(0, len(ids), 5000):
            part = ids[start : start + 5000]
            Employment.history.filter(teacher_id__in=part).delete()
            Employment.objects.filter(teacher_id__in=part)._raw_delete(connection.alias)
            Teacher.history.filter(id__in=part).delete()
            Teacher.objects.filter(pk__in=part)._raw_delete(connection.alias)

    wipe()
    path = workdir / "teachers.xlsx"
    started = time.perf_counter()
    generate(path, args.rows, school.name)
    size_mb = path.stat().st_size / 1024 / 1024
    engine = connection.vendor
    print(f"database: {engine} ({connection.settings_dict.get('NAME')})")
    print(
        f"generated {args.rows:,} rows, {size_mb:.1f} MB in {time.perf_counter() - started:.1f} s"
    )

    results: dict[str, float] = {}

    def timed(label: str, func: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - started
        results[label] = seconds
        ratio = seconds / results["baseline"] if "baseline" in results else 1.0
        print(
            f"{label:<44} {seconds:7.2f} s  {args.rows / seconds:10,.0f} rows/s  "
            f"{ratio:5.2f}x baseline"
        )
        return result

    timed(
        "baseline",
        lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(),
    )
    summary = timed("dry run (read+parse+match, no writes)", lambda: import_run(
        user=user, kind="teachers", path=str(path)))  # fmt: skip
    assert summary["created"] == args.rows, summary["error"] or summary["rejected_rows"][:3]
    summary = timed(f"commit, audit OFF ({engine})", lambda: import_run(
        user=user, kind="teachers", path=str(path), commit=True, audit=False))  # fmt: skip
    assert summary["committed"] and summary["created"] == args.rows
    assert Teacher.history.count() == 0
    wipe()
    summary = timed(f"commit, audit ON ({engine})", lambda: import_run(
        user=user, kind="teachers", path=str(path), commit=True))  # fmt: skip
    assert summary["committed"] and summary["created"] == args.rows
    assert Teacher.history.filter(history_type="+").count() == args.rows
    assert Employment.history.filter(history_type="+").count() == args.rows
    summary = timed("same file again (all unchanged)", lambda: import_run(
        user=user, kind="teachers", path=str(path), commit=True))  # fmt: skip
    assert summary["unchanged"] == args.rows

    on = results[f"commit, audit ON ({engine})"]
    off = results[f"commit, audit OFF ({engine})"]
    rate = args.rows / on
    ratio = on / results["baseline"]
    print(f"audit on / off: {on / off:.2f}x (target <= {TARGET_AUDIT}x)")
    print(
        f"targets: commit {rate:,.0f} rows/s >= {TARGET_ROWS_PER_S:,}: "
        f"{'met' if rate >= TARGET_ROWS_PER_S else 'NOT met'}; "
        f"{ratio:.2f}x of the bare read <= {TARGET_RATIO}x: "
        f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}; "
        f"audit {on / off:.2f}x <= {TARGET_AUDIT}x: "
        f"{'met' if on / off <= TARGET_AUDIT else 'NOT met'}"
    )
    wipe()


if __name__ == "__main__":
    main()
