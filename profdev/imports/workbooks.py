"""XLSX files the import hands out: empty templates and the rejected rows with their reasons."""

import datetime
import tempfile
from typing import Any

import xlsxwriter
from django.http import FileResponse
from django.utils.translation import gettext as _

from profdev.common.xlsx import XLSX_CONTENT_TYPE, write_cell, write_rows
from profdev.imports.kinds.base import ImportKind


def write_template(path: str, kind: ImportKind, rows: list[list[Any]] | None = None) -> None:
    """Header with Russian titles, an example row (or `rows`), and drop-down lists."""
    workbook = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(str(kind.title)[:31])
    bold = workbook.add_format(
        {"bold": True, "bg_color": "#E9ECEF", "border": 1, "text_wrap": True}
    )
    italic = workbook.add_format({"italic": True, "font_color": "#6C757D"})
    date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    text_format = workbook.add_format({"num_format": "@"})
    lists = workbook.add_worksheet("Списки")
    data = rows if rows is not None else [[column.example for column in kind.template_columns()]]
    columns = kind.template_columns()
    for col, column in enumerate(columns):
        title = column.title + (" *" if column.required else "")
        sheet.write_string(0, col, title, bold)
        sheet.set_column(col, col, column.width, text_format if column.key == "snils" else None)
        for row_index, row in enumerate(data, start=1):
            value = row[col] if col < len(row) else ""
            if rows is None and isinstance(value, str) and value:
                sheet.write_string(row_index, col, value, italic)
            else:
                write_cell(sheet, row_index, col, value, date_format)
        if column.choices:
            for i, choice in enumerate(column.choices):
                lists.write_string(i, col, choice)
            letter = xlsxwriter.utility.xl_col_to_name(col)
            sheet.data_validation(
                1,
                col,
                max(1000, len(data) + 1000),
                col,
                {
                    "validate": "list",
                    "source": f"=Списки!${letter}$1:${letter}${len(column.choices)}",
                    "error_type": "warning",
                    "error_message": _("Выберите значение из списка."),
                },
            )
        elif isinstance(column.example, datetime.date):
            sheet.data_validation(
                1,
                col,
                max(1000, len(data) + 1000),
                col,
                {
                    "validate": "date",
                    "criteria": "between",
                    "minimum": datetime.date(1940, 1, 1),
                    "maximum": datetime.date(2100, 1, 1),
                    "error_type": "warning",
                    "error_message": _("Введите дату в виде ДД.ММ.ГГГГ."),
                },
            )
    sheet.freeze_panes(1, 0)
    lists.hide()
    workbook.close()


def file_response(filename: str, build: Any) -> FileResponse:
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
    build(handle.name)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def write_rejected(path: str, summary: dict[str, Any]) -> int:
    """The rejected rows as they were in the file, with a «Причина отклонения» column first."""
    header = [_("Причина отклонения"), *summary.get("header", [])]
    rows = ([item["reason"], *item["values"]] for item in summary.get("rejected_rows", []))
    return write_rows(path, header, rows, sheet_name=_("Отклонённые строки"))
