"""Pages: upload → preview → commit, progress partial, downloads, scope and the command."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from profdev.common.tests.factories import OrganizationFactory
from profdev.imports.models import ImportJob, JobStatus
from profdev.imports.services import import_run
from profdev.people.models import Employment, Teacher

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def gymnasium(world):
    return OrganizationFactory(municipality=world.asino, name="МАОУ «Гимназия № 1» г. Асино")


def upload(client, name="roster.xlsx", **data):
    content = (SAMPLES / name).read_bytes()
    return client.post(
        reverse("imports:index"),
        {"kind": "teachers", "file": SimpleUploadedFile(name, content), **data},
    )


def test_preview_then_commit_through_pages(login, asino_coordinator, gymnasium):
    client = login(asino_coordinator)
    assert client.get(reverse("imports:index")).status_code == 200
    response = upload(client)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.status == JobStatus.DONE and job.dry_run and job.progress == 100
    assert job.summary["created"] == 36 and job.summary["rejected"] == 4
    assert Employment.objects.filter(organization=gymnasium).count() == 0
    page = client.get(job.get_absolute_url())
    text = page.content.decode()
    assert "Неверная контрольная сумма СНИЛС" in text and "Загрузить допустимые строки" in text
    partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"job-status" in partial.content
    client.post(reverse("imports:job-commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.summary["committed"] and not job.dry_run
    assert Employment.objects.filter(organization=gymnasium).count() == 36

    rejected = client.get(reverse("imports:job-rejected", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(rejected.streaming_content))).active
    values = list(sheet.values)
    assert values[0][0] == "Причина отклонения" and values[0][1] == "№ п/п"
    assert [row[1] for row in values[1:]] == ["6", "10", "13", "21"]


def test_rejected_rows_file_can_be_fixed_and_reuploaded(
    login, asino_coordinator, gymnasium, tmp_path
):
    summary = import_run(user=asino_coordinator, kind="teachers", path=str(SAMPLES / "roster.xlsx"))
    from profdev.imports.workbooks import write_rejected

    path = tmp_path / "rejected.xlsx"
    write_rejected(str(path), summary)
    again = import_run(user=asino_coordinator, kind="teachers", path=str(path))
    # Row 13 alone is no longer a duplicate; the other three are still wrong.
    assert [r["row"] for r in again["rejected_rows"]] == ["6", "10", "21"]
    assert again["created"] == 1


def test_block_on_rejected_blocks_commit(login, asino_coordinator, gymnasium):
    client = login(asino_coordinator)
    upload(client, block_on_rejected="on")
    job = ImportJob.objects.get()
    client.post(reverse("imports:job-commit", args=[job.pk]), {"block_on_rejected": "on"})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "Загрузка не выполнена" in job.summary["error"]
    assert Employment.objects.filter(organization=gymnasium).count() == 0


def test_upload_form_refuses_wrong_extension_and_size(login, operator, settings):
    client = login(operator)
    response = client.post(
        reverse("imports:index"),
        {"kind": "teachers", "file": SimpleUploadedFile("notes.docx", b"PK\x03\x04data")},
    )
    assert "не подходит" in response.content.decode()
    settings.PROFDEV_IMPORT_MAX_FILE_SIZE = 10
    response = upload(client)
    assert "слишком большой" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("user_name", ["teacher_user", "official"])  # methodists load courses
def test_roles_without_import_get_403(request, login, user_name):
    client = login(request.getfixturevalue(user_name))
    assert client.get(reverse("imports:index")).status_code == 403
    assert client.get(reverse("imports:template", args=["teachers"])).status_code == 403


def test_job_outside_scope_is_404(login, asino_coordinator, school_coordinator, gymnasium):
    upload(login(asino_coordinator))
    job = ImportJob.objects.get()
    client = login(school_coordinator)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("imports:job-rejected", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:job-commit", args=[job.pk])).status_code == 404
    assert ImportJob.objects.get().dry_run


def test_template_has_headers_example_and_lists(login, operator):
    response = login(operator).get(reverse("imports:template", args=["teachers"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["№ п/п", "Фамилия *", "Имя *"] and "СНИЛС *" in header
    assert sheet.cell(2, 2).value == "Иванова"
    assert len(sheet.data_validations.dataValidation) >= 3
    assert login(operator).get(reverse("imports:template", args=["nope"])).status_code == 404
    orgs = login(operator).get(reverse("imports:template", args=["organizations"]))
    assert orgs.status_code == 200


def test_import_export_import_is_a_noop(login, asino_coordinator, gymnasium, tmp_path):
    import_run(
        user=asino_coordinator, kind="teachers", path=str(SAMPLES / "roster.ods"), commit=True
    )
    before = Teacher.history.count(), Employment.history.count()
    client = login(asino_coordinator)
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(
        b"".join(client.get(reverse("imports:export", args=["teachers"])).streaming_content)
    )
    summary = import_run(user=asino_coordinator, kind="teachers", path=str(exported), commit=True)
    assert summary["error"] == "" and summary["rejected"] == 0, summary["rejected_rows"][:3]
    assert (summary["created"], summary["updated"]) == (0, 0)
    assert summary["unchanged"] == Teacher.objects.for_user(asino_coordinator).count() == 37
    assert (Teacher.history.count(), Employment.history.count()) == before


def test_teacher_list_export_reimport_changes_nothing(
    login, asino_coordinator, gymnasium, tmp_path
):
    import_run(
        user=asino_coordinator, kind="teachers", path=str(SAMPLES / "roster.xlsx"), commit=True
    )
    before = Teacher.history.count(), Employment.history.count()
    response = login(asino_coordinator).get(reverse("people:teacher-list") + "?export=xlsx")
    exported = tmp_path / "teachers.xlsx"
    exported.write_bytes(b"".join(response.streaming_content))
    summary = import_run(user=asino_coordinator, kind="teachers", path=str(exported), commit=True)
    # The list masks SNILS, so its rows cannot be matched; they are refused, never half-applied.
    assert (summary["created"], summary["updated"]) == (0, 0)
    assert summary["rejected"] == 37
    assert "скрыт звёздочками" in summary["rejected_rows"][0]["reason"]
    assert (Teacher.history.count(), Employment.history.count()) == before


def test_import_data_command(capsys, asino_coordinator, gymnasium):
    call_command(
        "import_data",
        "teachers",
        str(SAMPLES / "roster-cp1251.csv"),
        "--dry-run",
        "--user",
        "asino",
    )
    out = capsys.readouterr().out
    assert (
        "создано: 36" in out
        and "отклонено: 4" in out
        and "строка 21: Даты «31.02.2021» не существует." in out
    )
    assert not Employment.objects.filter(organization=gymnasium).exists()
    call_command(
        "import_data",
        "teachers",
        str(SAMPLES / "roster.xls"),
        "--user",
        "asino",
        "--organization",
        str(gymnasium.pk),
    )
    assert Employment.objects.filter(organization=gymnasium).count() == 36
    with pytest.raises(CommandError, match="Не найден пользователь"):
        call_command("import_data", "teachers", str(SAMPLES / "roster.xls"), "--user", "nobody")
