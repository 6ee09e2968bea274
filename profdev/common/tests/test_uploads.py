"""Uploads: type by content, size limits, zip-bomb protection, storage and scope-checked download."""

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from profdev.common.files import file_url
from profdev.common.tests.fixtures import World
from profdev.common.uploads import (
    UnsafeArchive,
    check_zip_archive,
    validate_document,
    validate_spreadsheet,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def _xlsx(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """An 'XLSX' of 60 KB that would unpack to 64 MB of zeros."""
    return _xlsx({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": bytes(64 << 20)})


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_documents_are_judged_by_content_not_by_name() -> None:
    assert validate_document(upload("act.pdf", PDF)) == "application/pdf"
    assert validate_document(upload("scan.png", PNG)) == "image/png"
    docx = _xlsx({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert validate_document(upload("plan.docx", docx)).endswith("wordprocessingml.document")
    for name, content in [("report.pdf", EXE), ("report.pdf", HTML), ("photo.png", HTML)]:
        with pytest.raises(ValidationError) as error:
            validate_document(upload(name, content), field="evidence_file")
        assert "по содержимому" in error.value.message_dict["evidence_file"][0]


@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_an_oversize_document_is_refused_with_its_size() -> None:
    with pytest.raises(ValidationError) as error:
        validate_document(upload("big.pdf", PDF + b"0" * 4096), field="evidence_file")
    assert "слишком большой" in error.value.message_dict["evidence_file"][0]
    with pytest.raises(ValidationError):
        validate_document(upload("empty.pdf", b""))


def test_a_zip_bomb_is_refused_before_anything_is_unpacked() -> None:
    bomb = zip_bomb()
    assert len(bomb) < 200_000
    with pytest.raises(UnsafeArchive):
        check_zip_archive(io.BytesIO(bomb))
    with pytest.raises(ValidationError) as error:
        validate_spreadsheet(upload("teachers.xlsx", bomb))
    assert "zip-бомба" in error.value.message_dict["file"][0]
    with pytest.raises(ValidationError):
        validate_document(upload("evidence.xlsx", bomb))


@override_settings(PROFDEV_UPLOAD_ZIP_MAX_MEMBERS=50, PROFDEV_UPLOAD_ZIP_MAX_UNCOMPRESSED=1 << 20)
def test_zip_member_count_and_unpacked_size_are_limited() -> None:
    many = _xlsx({f"xl/part{i}.xml": b"<x/>" for i in range(60)})
    with pytest.raises(UnsafeArchive, match="много частей"):
        check_zip_archive(io.BytesIO(many))
    import os

    large = _xlsx({"xl/workbook.xml": os.urandom(2 << 20)})  # incompressible: ratio 1
    with pytest.raises(UnsafeArchive, match="после распаковки"):
        check_zip_archive(io.BytesIO(large))


def test_spreadsheets_are_judged_by_content() -> None:
    xlsx = _xlsx({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert validate_spreadsheet(upload("t.xlsx", xlsx)).endswith("spreadsheetml.sheet")
    assert validate_spreadsheet(upload("t.csv", "ФИО;СНИЛС\n".encode())) == "text/csv"
    for name, content in [("t.xlsx", EXE), ("t.csv", HTML), ("t.xlsx", PDF)]:
        with pytest.raises(ValidationError):
            validate_spreadsheet(upload(name, content))


def test_the_import_page_refuses_a_zip_bomb_and_a_renamed_exe(
    operator: Any, login: Any, world: World
) -> None:
    from profdev.imports.models import ImportJob

    client: Client = login(operator)
    for name, content in [("teachers.xlsx", zip_bomb()), ("teachers.xlsx", EXE)]:
        response = client.post(
            reverse("imports:index"), {"kind": "teachers", "file": upload(name, content)}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_evidence_is_judged_by_content_under_the_evidence_limit(settings: Any) -> None:
    from profdev.common.uploads import validate_evidence

    with pytest.raises(ValidationError) as error:
        validate_evidence(upload("evidence.pdf", HTML))
    assert "evidence_file" in error.value.message_dict
    assert validate_evidence(upload("evidence.pdf", PDF)) == "application/pdf"
    settings.EVIDENCE_MAX_BYTES = len(PDF) - 1
    with pytest.raises(ValidationError, match="слишком большой"):
        validate_evidence(upload("evidence.pdf", PDF))


def test_media_is_outside_the_web_root_and_has_no_url() -> None:
    media = Path(settings.MEDIA_ROOT).resolve()
    for static in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        assert not media.is_relative_to(static.resolve())
    with pytest.raises(Resolver404):
        resolve("/media/roadmap/evidence/2024/report.pdf")


def test_files_are_served_only_within_the_scope(
    world: World, login: Any, school_coordinator: Any, asino_coordinator: Any, client: Client
) -> None:
    from profdev.common.tests.foreign import populate_place

    place = populate_place(world.tomsk)
    step = next(o for o in place.objects if type(o).__name__ == "RouteStep")
    url = file_url(step, "evidence_file")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(asino_coordinator)
    assert client.get(url).status_code == 404  # another municipality's record
    from profdev.common.tests.factories import UserFactory

    insider = UserFactory(
        username="place_coordinator",
        role="municipal",
        region=world.tomsk,
        municipality=place.municipality,
    )
    client.force_login(insider)
    response: Any = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # a field that is not a file, or a model without scope, is a 404 too
    bad = url.replace("evidence_file", "title")
    assert client.get(bad).status_code == 404
