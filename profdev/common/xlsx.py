"""Streaming XLSX export in constant memory, with cells that look like formulas kept as text."""

import datetime
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

import xlsxwriter
from django.http import FileResponse
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_rows(
    path: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str | None = None,
) -> int:
    """Write a header and rows to an XLSX file; returns the number of data rows."""
    sheet_name = sheet_name or _("Данные")
    workbook = xlsxwriter.Workbook(
        path, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1})
    date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    for col, title in enumerate(header):
        sheet.write_string(0, col, str(title), bold)
        sheet.set_column(col, col, max(12, min(60, len(str(title)) + 4)))
    count = 0
    for row_index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            write_cell(sheet, row_index, col, value, date_format)
        count += 1
    if header:
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(count, 1), len(header) - 1)
    workbook.close()
    return count


def write_cell(sheet: Any, row: int, col: int, value: Any, date_format: Any) -> None:
    """One cell; text is always written as a string so that '=cmd' never becomes a formula."""
    kind = type(value)
    if kind is str:  # the common case first, without the isinstance chain
        if value:
            sheet.write_string(row, col, value)
    elif kind is int or kind is float:
        sheet.write_number(row, col, value)
    elif value is None:
        pass  # a blank cell without a format is not stored anyway
    elif isinstance(value, bool):
        sheet.write_string(row, col, _("да") if value else _("нет"))
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, datetime.datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), date_format)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(
            row, col, datetime.datetime.combine(value, datetime.time()), date_format
        )
    else:
        sheet.write_string(row, col, str(value))


def xlsx_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet_name: str | None = None,
) -> FileResponse:
    """An XLSX download built in a temporary file (constant memory whatever the row count)."""
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
    write_rows(handle.name, header, rows, sheet_name=sheet_name)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
