"""Uploaded files, checked by content (never by name): one validator for every upload.

- `validate_document(file, field=...)`: evidence and acts (PDF, office documents, images);
- `validate_spreadsheet(file, field=...)`: import files (XLSX, XLS, ODS, CSV);
- `check_zip_archive(source)`: refuses a zip (XLSX, DOCX, ODS, ...) whose members are too many,
  too large once unpacked or compressed suspiciously well, before any reader opens it.
Limits come from settings (`PROFDEV_UPLOAD_*`, `EVIDENCE_MAX_BYTES`, `PROFDEV_IMPORT_MAX_FILE_SIZE`).
"""

import os
import zipfile
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

DOCUMENT_MIME_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/rtf",
        "image/jpeg",
        "image/png",
    }
)
SPREADSHEET_MIME_TYPES = frozenset(
    {
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        "text/csv",
    }
)
# Zip containers that filetype reports generically: their members tell what they are.
_ZIP_KINDS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def zip_limits() -> tuple[int, int, int]:
    """(max members, max unpacked bytes, max compression ratio) of an uploaded zip container."""
    return (
        _limit("PROFDEV_UPLOAD_ZIP_MAX_MEMBERS", 10_000),
        _limit("PROFDEV_UPLOAD_ZIP_MAX_UNCOMPRESSED", 512 * 1024 * 1024),
        _limit("PROFDEV_UPLOAD_ZIP_MAX_RATIO", 200),
    )


class UnsafeArchive(ValueError):
    """A zip container over the limits (a zip bomb or a broken file); the message is for users."""


def check_zip_archive(source: str | IO[bytes]) -> list[str]:
    """Member names of a zip container within the limits; `UnsafeArchive` otherwise.

    Only the central directory is read: nothing is unpacked.
    """
    max_members, max_total, max_ratio = zip_limits()
    try:
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise UnsafeArchive(_("Файл повреждён: архив не читается.")) from error
    if len(infos) > max_members:
        raise UnsafeArchive(
            _("В файле слишком много частей (%(count)s, допускается %(limit)s).")
            % {"count": len(infos), "limit": max_members}
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > max_ratio:
            raise UnsafeArchive(
                _("Файл отклонён: подозрительно сильное сжатие (возможна «zip-бомба»).")
            )
    if total > max_total:
        raise UnsafeArchive(
            _("Файл отклонён: после распаковки он занял бы %(size)s МБ (допускается %(limit)s МБ).")
            % {"size": total // 1024 // 1024, "limit": max_total // 1024 // 1024}
        )
    return [info.filename for info in infos]


def _read_head(file: Any, size: int = 8192) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head: bytes = file.read(size)
    file.seek(position)
    return head


def _zip_members(file: Any) -> list[str]:
    position = file.tell()
    file.seek(0)
    try:
        return check_zip_archive(file)
    finally:
        file.seek(position)


def detect_mime(file: Any) -> str | None:
    """The type of an uploaded file judged by its bytes; zip containers are opened safely."""
    head = _read_head(file)
    if head.startswith(ZIP_MAGIC):
        members = _zip_members(file)  # raises UnsafeArchive for a zip bomb
        for member, mime in _ZIP_KINDS.items():
            if member in members:
                return mime
        if "mimetype" in members:
            kind = filetype.guess(head)
            return kind.mime if kind is not None else None
        return "application/zip"
    if head.startswith(b"{\\rtf"):
        return "application/rtf"
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    if head.startswith(OLE_MAGIC):
        return "application/msword"
    return None


def _size_error(field: str, size: int, limit: int) -> ValidationError:
    return ValidationError(
        {
            field: _("Файл слишком большой: %(size).1f МБ, допускается не более %(limit).1f МБ.")
            % {"size": size / 1024 / 1024, "limit": limit / 1024 / 1024}
        }
    )


def _check_size(file: Any, field: str, limit: int) -> None:
    size = getattr(file, "size", None)
    if size is None:
        size = os.fstat(file.fileno()).st_size if hasattr(file, "fileno") else 0
    if size > limit:
        raise _size_error(field, size, limit)
    if size == 0:
        raise ValidationError({field: _("Файл пуст.")})


def validate_document(file: Any, *, field: str = "file", max_bytes: int | None = None) -> str:
    """A document or an image within the size limit; returns its type. `ValidationError` else."""
    _check_size(file, field, max_bytes or _limit("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
    try:
        mime = detect_mime(file)
    except UnsafeArchive as error:
        raise ValidationError({field: str(error)}) from error
    if mime not in DOCUMENT_MIME_TYPES:
        raise ValidationError(
            {
                field: _(
                    "Файл «%(name)s» не является документом (PDF, DOC, DOCX, ODT, XLSX, RTF) "
                    "или изображением (JPG, PNG): тип определяется по содержимому, а не по имени."
                )
                % {"name": os.path.basename(str(getattr(file, "name", "")))}
            }
        )
    return str(mime)


def validate_evidence(file: Any) -> str:
    """Evidence of work done (route steps, roadmap reports): a document or an image."""
    return validate_document(file, field="evidence_file")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    lowered = head.lstrip().lower()
    return not lowered.startswith((b"<!doctype", b"<html", b"<script", b"<?xml", b"<svg"))


def validate_spreadsheet(file: Any, *, field: str = "file", max_bytes: int | None = None) -> str:
    """An XLSX, XLS, ODS or CSV file within the limits, judged by content; returns its type."""
    _check_size(file, field, max_bytes or _limit("PROFDEV_IMPORT_MAX_FILE_SIZE", 50 * 1024 * 1024))
    head = _read_head(file)
    try:
        mime = detect_mime(file)
    except UnsafeArchive as error:
        raise ValidationError({field: str(error)}) from error
    if head.startswith(OLE_MAGIC):
        # An encrypted XLSX is an OLE container too: the reader explains that case.
        return "application/vnd.ms-excel"
    if mime is None and _looks_like_text(head):
        return "text/csv"
    if mime not in SPREADSHEET_MIME_TYPES:
        raise ValidationError(
            {
                field: _(
                    "Файл «%(name)s» не является таблицей XLSX, XLS, ODS или CSV "
                    "(тип определяется по содержимому, а не по имени)."
                )
                % {"name": os.path.basename(str(getattr(file, "name", "")))}
            }
        )
    return str(mime)
