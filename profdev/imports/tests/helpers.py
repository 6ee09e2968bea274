"""Files for import tests, made the way office programs make them."""

import csv
import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from profdev.common.identifiers import make_snils

HEADER = ["№ п/п", "Фамилия", "Имя", "Отчество", "СНИЛС", "Должность", "Педстаж с", "Организация"]


def snils(n: int) -> str:
    return make_snils(500_000_000 + n)


def write_xlsx(path: Path, rows: list[list[Any]], *, title_rows: int = 0) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Лист1")
    date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    if title_rows:
        sheet.merge_range(0, 0, 0, 5, "Список педагогов")
    for r, row in enumerate(rows, start=title_rows + (1 if title_rows else 0)):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(
                    r, c, datetime.datetime.combine(value, datetime.time()), date_format
                )
            elif isinstance(value, str) and value.startswith("="):
                sheet.write_formula(r, c, value)
            elif value is not None:
                sheet.write(r, c, value)
    workbook.close()
    return path


def write_csv(
    path: Path, rows: list[list[Any]], *, encoding: str = "utf-8", delimiter: str = ";"
) -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


def teacher_row(n: int, org: str, **overrides: Any) -> list[Any]:
    row = {
        "number": n,
        "last": "Иванова",
        "first": "Анна",
        "middle": "Петровна",
        "snils": snils(n),
        "position": "учитель",
        "career": datetime.date(2015, 9, 1),
        "org": org,
    }
    row.update(overrides)
    return list(row.values())
