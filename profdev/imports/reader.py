"""Reading spreadsheets as schools send them: XLSX, XLS, ODS and CSV (UTF-8 or Windows-1251)."""

import csv
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from charset_normalizer import from_bytes
from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from profdev.common.uploads import UnsafeArchive, check_zip_archive

Cell = Any

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")


class ImportFileError(Exception):
    """The whole file cannot be imported; the message is shown to the user as is."""


def max_file_size() -> int:
    return int(getattr(settings, "PROFDEV_IMPORT_MAX_FILE_SIZE", 50 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "PROFDEV_IMPORT_MAX_ROWS", 200_000))


@dataclass
class Sheet:
    """The rows of the first sheet and the cells that held formulas (sheet row, column)."""

    name: str
    rows: list[list[Cell]]
    formula_cells: set[tuple[int, int]] = field(default_factory=set)


def check_size(path: str) -> None:
    """Refuse a file over the limit before reading a byte of it."""
    size = os.path.getsize(path)
    limit = max_file_size()
    if size > limit:
        raise ImportFileError(
            _("Файл слишком большой: %(size)s МБ, допускается не более %(limit)s МБ.")
            % {"size": round(size / 1024 / 1024, 1), "limit": limit // 1024 // 1024}
        )
    if size == 0:
        raise ImportFileError(_("Файл пуст."))


def read_sheet(path: str, filename: str = "") -> Sheet:
    """The first sheet of a spreadsheet or a CSV file, capped at the row limit."""
    check_size(path)
    with open(path, "rb") as handle:
        head = handle.read(8)
    name = (filename or path).lower()
    if head.startswith(ZIP_MAGIC):
        return _read_zip_workbook(path)
    if head.startswith(OLE_MAGIC):
        if name.endswith((".xlsx", ".xlsm", ".ods")):
            # Excel stores a password-protected XLSX as an encrypted OLE container.
            raise ImportFileError(
                _(
                    "Книга защищена паролем (зашифрована). Снимите пароль "
                    "(Файл → Сведения → Защита книги) и загрузите файл снова."
                )
            )
        return _read_calamine(path)
    if name.endswith((".xlsx", ".xlsm", ".ods", ".xls")):
        raise ImportFileError(
            _("Файл «%(name)s» повреждён или не является таблицей Excel/ODS.")
            % {"name": os.path.basename(filename or path)}
        )
    return _read_csv(path)


def _read_zip_workbook(path: str) -> Sheet:
    try:
        check_zip_archive(path)  # member count, unpacked size and ratio, before any reader
    except UnsafeArchive as error:
        raise ImportFileError(str(error)) from error
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            is_ods = "content.xml" in names
            if not is_ods and "xl/workbook.xml" not in names:
                raise ImportFileError(_("Архив не является книгой XLSX или ODS."))
            # No CRC pass over the whole archive (testzip): the reads below and calamine's
            # own read fail on damaged members, and that costs a second decompression.
            formulas = _xlsx_formula_cells(archive, names) if not is_ods else set()
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as error:
        raise ImportFileError(_("Файл повреждён (архив XLSX/ODS не читается).")) from error
    sheet = _read_calamine(path)
    sheet.formula_cells = formulas
    return sheet


_CELL_RE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(/>|>(.*?)</c>)', re.S)
_FORMULA_TAG = re.compile(rb"<f[ >/]")


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (char - 64)
    return index - 1


def _xlsx_formula_cells(archive: zipfile.ZipFile, names: list[str]) -> set[tuple[int, int]]:
    """Cells of the first worksheet that hold a formula (0-based row, column).

    The sheet is streamed in blocks and only searched for a formula tag; the cell-by-cell
    scan runs only when there is one (files with formulas are rare and refused row by row).
    """
    sheets = sorted(n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    if not sheets:
        return set()
    found_tag = False
    tail = b""
    with archive.open(sheets[0]) as stream:
        while block := stream.read(4 * 1024 * 1024):
            if _FORMULA_TAG.search(tail + block):
                found_tag = True
                break
            tail = block[-8:]
    if not found_tag:
        return set()
    data = archive.read(sheets[0])
    found: set[tuple[int, int]] = set()
    for match in _CELL_RE.finditer(data):
        body = match.group(4) or b""
        if _FORMULA_TAG.search(body):
            found.add((int(match.group(2)) - 1, _column_index(match.group(1))))
    return found


def _read_calamine(path: str) -> Sheet:
    limit = max_rows()
    try:
        workbook = CalamineWorkbook.from_path(path)
        if not workbook.sheet_names:
            raise ImportFileError(_("В книге нет ни одного листа."))
        sheet = workbook.get_sheet_by_index(0)
        # The whole sheet in one call (as the bare read does), capped just past the limit;
        # empty leading rows and columns are kept so that row and column numbers stay true.
        rows: list[list[Cell]] = sheet.to_python(skip_empty_area=False, nrows=limit + 51)
        if len(rows) > limit + 50:
            raise ImportFileError(too_many_rows_message(limit))
        return Sheet(name=sheet.name, rows=rows)
    except ImportFileError:
        raise
    except Exception as error:  # calamine raises several unrelated error types
        text = str(error).lower()
        if "password" in text or "encrypt" in text:
            raise ImportFileError(
                _("Книга защищена паролем. Снимите пароль и загрузите файл снова.")
            ) from error
        raise ImportFileError(
            _("Не удалось прочитать таблицу: файл повреждён или это не XLSX/XLS/ODS.")
        ) from error


def too_many_rows_message(limit: int) -> str:
    return _(
        "В файле больше %(limit)s строк. Разбейте его на части не длиннее %(limit)s строк."
    ) % {"limit": f"{limit:,}".replace(",", " ")}


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    sample = data[: 64 * 1024]
    best = from_bytes(sample, cp_isolation=["cp1251", "koi8_r", "cp866", "utf_8"]).best()
    encoding = best.encoding if best is not None else "cp1251"
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return data.decode("cp1251", errors="replace")


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    return b"\x00" in sample


def _read_csv(path: str) -> Sheet:
    with open(path, "rb") as handle:
        data = handle.read()
    if _looks_binary(data):
        raise ImportFileError(_("Файл не является таблицей: загрузите XLSX, XLS, ODS или CSV."))
    text = _decode(data)
    first_lines = "\n".join(text.splitlines()[:20])
    delimiter = _sniff_delimiter(first_lines)
    limit = max_rows()
    rows: list[list[Cell]] = []
    reader: Iterator[list[str]] = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            rows.append(list(row))
            if len(rows) > limit + 50:
                raise ImportFileError(too_many_rows_message(limit))
    except csv.Error as error:
        raise ImportFileError(_("CSV-файл повреждён: %(error)s") % {"error": error}) from error
    return Sheet(name="CSV", rows=rows)


def _sniff_delimiter(sample: str) -> str:
    counts = {d: sample.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def iter_nonempty(rows: list[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
    for index, row in enumerate(rows):
        if any(cell not in (None, "") for cell in row):
            yield index, row
