"""XLSX export of 750,000 cells in constant memory, against a bare xlsxwriter write of the same cells.

    python bench/xlsx_bench.py [--rows 75000] [--list-user g01-official]
    DATABASE_URL=... python bench/xlsx_bench.py --list-user g01-official --report-year 2025

Each variant runs in its own process, so its peak resident memory (ru_maxrss) is its own; the
figure printed is the peak minus the resident memory just before writing (Django and the data
generator already loaded), plus the absolute peak.
  bare:    xlsxwriter, constant_memory, typed write_* calls per cell (the baseline);
  common:  profdev.common.xlsx.write_rows (what every list export and the indicator tables use);
  list:    the teacher list export (`?export=xlsx` through the view, scoped to --list-user);
  report:  `manage.py analytical_report` (XLSX and DOCX) for every campaign of --report-year.
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = 10


def rss_mb() -> float:
    """Current resident memory of this process, MB (from /proc)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rows(count: int) -> Any:
    """Teacher-like rows: text, a number, a date, a boolean; the same for every variant."""
    start = datetime.date(2020, 1, 1)
    for n in range(count):
        yield [
            f"Иванова-{n}",
            "Мария",
            "Петровна",
            f"***-***-*** {n % 100:02d}",
            "МБОУ СОШ № 12 г. Томска",
            "Учитель",
            n,
            start + datetime.timedelta(days=n % 2000),
            n % 3 == 0,
            "=не формула" if n % 1000 == 0 else "первая",
        ]


def bare(path: str, count: int) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        path, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet("Данные")
    date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    for col in range(COLUMNS):
        sheet.write_string(0, col, f"Колонка {col + 1}")
    for r, row in enumerate(rows(count), start=1):
        for c, value in enumerate(row):
            if isinstance(value, bool):
                sheet.write_string(r, c, "да" if value else "нет")
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(
                    r, c, datetime.datetime.combine(value, datetime.time()), date_format
                )
            else:
                sheet.write_string(r, c, value)
    workbook.close()


def common(path: str, count: int) -> None:
    from profdev.common.xlsx import write_rows

    write_rows(path, [f"Колонка {c + 1}" for c in range(COLUMNS)], rows(count))


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()


def list_export(path: str, username: str) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    from profdev.accounts.models import User

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get("/people/teachers/?export=xlsx")
    size = 0
    with open(path, "wb") as out:
        for chunk in response.streaming_content:  # type: ignore[attr-defined]
            out.write(chunk)
            size += len(chunk)
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    return {"rows": len(sheet) - 1, "cells": (len(sheet) - 1) * len(sheet[0]), "bytes": size}


def report(year: int) -> dict[str, Any]:
    from django.core.management import call_command

    from profdev.roadmap.models import Campaign

    campaigns = list(Campaign.objects.filter(year=year).order_by("pk").values_list("pk", flat=True))
    with tempfile.TemporaryDirectory() as tmp:
        for pk in campaigns:
            for suffix in ("xlsx", "docx"):
                out = Path(tmp) / f"report-{pk}.{suffix}"
                with open(os.devnull, "w") as quiet:
                    call_command(
                        "analytical_report", year=year, campaign=pk, out=str(out), stdout=quiet
                    )
    return {"campaigns": len(campaigns)}


def child(variant: str, args: argparse.Namespace) -> None:
    extra: dict[str, Any] = {}
    if variant != "bare":
        # The export's sheet names are translated: Django's settings (and its language) first.
        setup_django()
    if variant == "common":  # loaded before measuring, like xlsxwriter for the bare variant
        import profdev.common.xlsx  # noqa: F401
    else:
        import xlsxwriter  # noqa: F401
    before = rss_mb()
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        started = time.perf_counter()
        if variant == "bare":
            bare(handle.name, args.rows)
            extra = {"cells": args.rows * COLUMNS}
        elif variant == "common":
            common(handle.name, args.rows)
            extra = {"cells": args.rows * COLUMNS}
        elif variant == "list":
            extra = list_export(handle.name, args.list_user)
        else:
            extra = report(args.report_year)
        seconds = time.perf_counter() - started
        extra.setdefault("bytes", os.path.getsize(handle.name))
    print(json.dumps({"seconds": seconds, "before_mb": before, "peak_mb": peak_mb(), **extra}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=75_000, help=f"rows of {COLUMNS} cells")
    parser.add_argument("--list-user", default="", help="also export the teacher list as this user")
    parser.add_argument(
        "--report-year", type=int, default=0, help="also build the analytical reports"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    if args.child:
        child(args.child, args)
        return
    plan = ["bare", "common"] * args.repeat  # interleaved: a busy machine slows both alike
    if args.list_user:
        plan.append("list")
    if args.report_year:
        plan.append("report")
    runs: dict[str, list[dict[str, Any]]] = {}
    for variant in plan:
        command = [sys.executable, __file__, "--child", variant, "--rows", str(args.rows)]
        command += ["--list-user", args.list_user, "--report-year", str(args.report_year)]
        output = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        if output.returncode:
            sys.exit(f"{variant} failed:\n{output.stderr}")
        runs.setdefault(variant, []).append(json.loads(output.stdout.strip().splitlines()[-1]))
    results = {}
    for variant, found in runs.items():
        median = sorted(found, key=lambda r: r["seconds"])[len(found) // 2]
        results[variant] = median | {"peak_mb": max(r["peak_mb"] for r in found)}
    print(f"median of {args.repeat} interleaved runs for bare/common; one run for list/report")
    for variant, r in results.items():
        cells = r.get("cells")
        speed = f"{cells / r['seconds']:>10,.0f} cells/s" if cells else " " * 17
        what = f"{cells:,} cells" if cells else f"{r.get('campaigns', 0)} campaigns x (XLSX + DOCX)"
        print(
            f"{variant:<7} {what:<32} {r['seconds']:7.2f} s {speed}  "
            f"peak {r['peak_mb']:6.1f} MB (+{r['peak_mb'] - r['before_mb']:5.1f} MB while writing)"
        )
    ratio = results["common"]["seconds"] / results["bare"]["seconds"]
    print(f"ratio common/bare time: {ratio:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
