"""Every bad file from the issue: a clear Russian message, nothing saved, no crash."""

import io
import time
import zipfile

import pytest
from django.test import override_settings

from profdev.imports.services import import_run
from profdev.imports.tests.helpers import HEADER, snils, teacher_row, write_csv, write_xlsx
from profdev.people.models import Employment, Teacher

pytestmark = pytest.mark.django_db


def run(user, path, **kwargs):
    return import_run(user=user, kind="teachers", path=str(path), commit=True, **kwargs)


def assert_nothing_saved(before):
    assert Teacher.objects.count() == before[0]
    assert Employment.objects.count() == before[1]


@pytest.fixture
def counts(world):
    return Teacher.objects.count(), Employment.objects.count()


def test_not_a_spreadsheet(operator, counts, tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 500)
    summary = run(operator, path)
    assert "повреждён или не является таблицей" in summary["error"]
    binary = tmp_path / "data.csv"
    binary.write_bytes(b"\x00\x01\x02" * 200)
    assert "не является таблицей" in run(operator, binary)["error"]
    assert_nothing_saved(counts)


def test_broken_zip(operator, counts, tmp_path, world):
    good = write_xlsx(tmp_path / "good.xlsx", [HEADER, teacher_row(1, world.school_a.name)])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:1500])
    summary = run(operator, broken)
    assert "повреждён" in summary["error"]
    assert_nothing_saved(counts)


def test_password_protected_workbook(operator, counts, tmp_path):
    # Excel saves an encrypted XLSX as an OLE compound file keeping the .xlsx name.
    path = tmp_path / "secret.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    summary = run(operator, path)
    assert "паролем" in summary["error"]
    assert_nothing_saved(counts)


def test_empty_sheet(operator, counts, tmp_path):
    path = write_xlsx(tmp_path / "empty.xlsx", [])
    assert "пуст" in run(operator, path)["error"]
    header_only = write_xlsx(tmp_path / "header.xlsx", [HEADER])
    assert "нет ни одной строки с данными" in run(operator, header_only)["error"]
    assert_nothing_saved(counts)


def test_missing_required_columns(operator, counts, tmp_path, world):
    path = write_xlsx(
        tmp_path / "nosnils.xlsx",
        [["Фамилия", "Имя", "Должность"], ["Иванова", "Анна", "учитель"]],
    )
    summary = run(operator, path)
    assert "нет обязательных столбцов" in summary["error"]
    assert "«СНИЛС»" in summary["error"]
    assert_nothing_saved(counts)


def test_million_rows_capped_quickly(operator, counts, tmp_path, world):
    path = tmp_path / "huge.csv"
    line = f"Ли;Ян;{snils(1)}\r\n"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("Фамилия;Имя;СНИЛС\r\n")
        handle.write(line * 1_000_000)
    started = time.monotonic()
    summary = run(operator, path, organization_id=world.school_a.pk)
    assert "больше 200 000 строк" in summary["error"]
    assert time.monotonic() - started < 30
    assert_nothing_saved(counts)


@override_settings(PROFDEV_IMPORT_MAX_ROWS=5)
def test_row_cap_counts_data_rows(operator, counts, tmp_path, world):
    rows = [HEADER] + [teacher_row(n, world.school_a.name) for n in range(1, 8)]
    assert "больше 5 строк" in run(operator, write_xlsx(tmp_path / "x.xlsx", rows))["error"]
    assert_nothing_saved(counts)


def test_file_over_50_mb_is_refused_before_reading(operator, counts, tmp_path):
    path = tmp_path / "big.xlsx"
    with open(path, "wb") as handle:  # sparse: nothing is written to disk
        handle.truncate(51 * 1024 * 1024)
    summary = run(operator, path)
    assert "слишком большой" in summary["error"]
    assert "50 МБ" in summary["error"]
    assert_nothing_saved(counts)


def test_formulas_in_cells_are_rejected(operator, counts, tmp_path, world):
    rows = [
        HEADER,
        teacher_row(1, world.school_a.name),
        teacher_row(2, world.school_a.name, last='=A1&"x"'),
        teacher_row(3, world.school_a.name, snils="=1+1"),
    ]
    path = write_xlsx(tmp_path / "formulas.xlsx", rows)
    summary = run(operator, path, block_on_rejected=True)
    assert [r["row"] for r in summary["rejected_rows"]] == ["2", "3"]
    assert "В ячейке B3 формула" in summary["rejected_rows"][0]["reason"]
    assert "E4" in summary["rejected_rows"][1]["reason"]
    assert not summary["committed"]
    assert "Загрузка не выполнена" in summary["error"]
    assert_nothing_saved(counts)
    # Without blocking, only the clean row goes in.
    summary = run(operator, path)
    assert summary["committed"] and summary["created"] == 1


def test_formula_text_in_csv_is_rejected(operator, counts, tmp_path, world):
    path = write_csv(
        tmp_path / "f.csv", [HEADER, teacher_row(1, world.school_a.name, last="=cmd|' /C calc'!A0")]
    )
    summary = run(operator, path)
    assert summary["rejected"] == 1 and "формула" in summary["rejected_rows"][0]["reason"]
    assert_nothing_saved(counts)


def test_duplicate_snils_and_bad_checksum(operator, counts, tmp_path, world):
    rows = [
        HEADER,
        teacher_row(1, world.school_a.name),
        teacher_row(2, world.school_a.name, snils=snils(1)),
        teacher_row(3, world.school_a.name, snils="112-233-445 00"),
    ]
    summary = run(operator, write_xlsx(tmp_path / "d.xlsx", rows), block_on_rejected=True)
    reasons = {r["row"]: r["reason"] for r in summary["rejected_rows"]}
    assert reasons["2"] == "СНИЛС повторяется: он уже указан в строке 1."
    assert "контрольная сумма" in reasons["3"]
    assert_nothing_saved(counts)


def test_unknown_organization(operator, counts, tmp_path):
    rows = [HEADER, teacher_row(1, "МБОУ «Несуществующая СОШ»")]
    summary = run(operator, write_xlsx(tmp_path / "u.xlsx", rows))
    assert summary["rejected_rows"][0]["reason"] == (
        "Организация «МБОУ «Несуществующая СОШ»» не найдена в реестре организаций."
    )
    assert_nothing_saved(counts)


def test_database_error_rolls_back_everything(operator, counts, tmp_path, world, monkeypatch):
    from django.db import DatabaseError

    from profdev.imports import bulk

    rows = [HEADER] + [teacher_row(n, world.school_a.name) for n in range(1, 4)]
    calls = {"n": 0}
    original = bulk.insert

    def failing(model, columns, values, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # teachers are in (or being sent), employments fail
            raise DatabaseError("disk full")
        return original(model, columns, values, **kwargs)

    monkeypatch.setattr(bulk, "insert", failing)
    summary = run(operator, write_xlsx(tmp_path / "t.xlsx", rows))
    assert "ничего не сохранено" in summary["error"] and not summary["committed"]
    assert_nothing_saved(counts)


def test_truncated_zip_bytes_in_memory_is_not_a_crash(operator, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    path = tmp_path / "archive.xlsx"
    path.write_bytes(buffer.getvalue())
    assert "не является книгой" in run(operator, path)["error"]
