"""Rows per second of importing N generated teachers, against a bare python-calamine read.

Usage (from the repository root):
    /work/main/.venv/bin/python bench/import_bench.py [--rows 100000] [--keep]

Uses a fresh SQLite file in a temporary directory (or DATABASE_URL if set), migrates it,
generates an XLSX of N teachers at one school, then times:
  1. python-calamine reading the sheet to Python values (the floor);
  2. the import's dry run (read + header + parse + match, no writes);
  3. the commit (all of the above plus bulk inserts with history rows, one transaction);
  4. the same file again (all rows unchanged).
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="profdev-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    import xlsxwriter
    from django.core.management import call_command
    from python_calamine import CalamineWorkbook

    from profdev.accounts.choices import Role
    from profdev.accounts.models import User
    from profdev.common.identifiers import make_snils
    from profdev.imports.services import import_run
    from profdev.orgs.models import Municipality, Organization, Region

    call_command("migrate", verbosity=0)
    region = Region.objects.create(name="Томская область", code="70")
    municipality = Municipality.objects.create(
        region=region, name="Томский район", kind="municipal_district"
    )
    school = Organization.objects.create(
        region=region, municipality=municipality, name="МБОУ «Бенчмарк СОШ»"
    )
    user = User.objects.create(username="bench", role=Role.OPERATOR, region=region)

    path = workdir / "teachers.xlsx"
    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    header = [
        "№ п/п",
        "Фамилия",
        "Имя",
        "Отчество",
        "СНИЛС",
        "Должность",
        "Педстаж с",
        "Организация",
    ]
    for col, title in enumerate(header):
        sheet.write_string(0, col, title)
    positions = ["учитель", "заместитель директора по УВР", "педагог-психолог", "учитель-логопед"]
    for n in range(1, args.rows + 1):
        snils = make_snils(100_000_000 + n)
        row = [
            n,
            f"Фамилия{n % 997}",
            f"Имя{n % 101}",
            "Отчество",
            f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}",
            positions[n % 4],
        ]
        for col, value in enumerate(row):
            sheet.write(n, col, value)
        sheet.write_datetime(
            n, 6, datetime.datetime(1990 + n % 30, 1 + n % 12, 1 + n % 28), date_format
        )
        sheet.write_string(n, 7, school.name)
    workbook.close()
    size_mb = path.stat().st_size / 1024 / 1024
    print(f"generated {args.rows} rows, {size_mb:.1f} MB in {time.perf_counter() - started:.1f} s")

    def timed(label: str, func):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - started
        print(f"{label:<38} {seconds:7.2f} s  {args.rows / seconds:10,.0f} rows/s")
        return seconds, result

    calamine_s, _ = timed(
        "bare python-calamine read",
        lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(),
    )
    dry_s, summary = timed(
        "import dry run (no writes)", lambda: import_run(user=user, kind="teachers", path=str(path))
    )
    assert summary["created"] == args.rows, summary["error"] or summary["rejected_rows"][:3]
    commit_s, summary = timed(
        "import commit (SQLite, with history)",
        lambda: import_run(user=user, kind="teachers", path=str(path), commit=True),
    )
    assert summary["committed"] and summary["created"] == args.rows
    again_s, summary = timed(
        "same file again (all unchanged)",
        lambda: import_run(user=user, kind="teachers", path=str(path), commit=True),
    )
    assert summary["unchanged"] == args.rows
    print(
        f"commit / bare read time ratio: {commit_s / calamine_s:.1f}x "
        f"(dry run {dry_s / calamine_s:.1f}x, re-import {again_s / calamine_s:.1f}x)"
    )


if __name__ == "__main__":
    main()
