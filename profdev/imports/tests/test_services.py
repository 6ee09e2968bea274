"""Reading quirks, scope, idempotency and the organizations kind."""

import datetime

import pytest

from profdev.common.identifiers import make_inn
from profdev.imports.services import import_run
from profdev.imports.tests.helpers import HEADER, snils, teacher_row, write_csv, write_xlsx
from profdev.imports.values import CellError, parse_date, split_full_name
from profdev.orgs.models import Organization
from profdev.people.models import Employment, Teacher

pytestmark = pytest.mark.django_db


def test_parse_date_forms():
    assert parse_date(45000) == datetime.date(2023, 3, 15)
    assert parse_date("01.09.2015") == datetime.date(2015, 9, 1)
    assert parse_date("2015-09-01") == datetime.date(2015, 9, 1)
    assert parse_date(datetime.datetime(2015, 9, 1, 0, 0)) == datetime.date(2015, 9, 1)
    with pytest.raises(CellError, match="не существует"):
        parse_date("31.02.2021")
    with pytest.raises(CellError, match="не распознана"):
        parse_date("сентябрь 2015")


def test_split_full_name():
    assert split_full_name("  Иванова\u00a0Анна  Петровна ") == ("Иванова", "Анна", "Петровна")
    assert split_full_name("Алиев Руслан Ахмед оглы") == ("Алиев", "Руслан", "Ахмед оглы")


def test_tolerant_header_full_name_snils_forms_and_nbsp(operator, world, tmp_path):
    rows = [
        ["Список педагогов школы"],
        [],
        ["  ф.и.о. ", "снилс", "ДОЛЖНОСТЬ", "Педстаж  с", "Образовательная организация"],
        [
            "Иванова\u00a0Анна Петровна ",
            "112 233 445 95",
            "Заместитель директора по ВР",
            "01.09.2015",
            world.school_a.name.upper().replace("Ё", "Е"),
        ],
        ["Петров Пётр", snils(2), "учитель", "1.9.2015", world.school_a.name],
    ]
    summary = import_run(
        user=operator,
        kind="teachers",
        path=str(write_csv(tmp_path / "x.csv", rows, encoding="cp1251", delimiter=",")),
        commit=True,
    )
    assert summary["error"] == "" and summary["created"] == 2, summary
    anna = Teacher.objects.get(snils="11223344595")
    assert (anna.last_name, anna.first_name, anna.middle_name) == ("Иванова", "Анна", "Петровна")
    assert anna.career_start == datetime.date(2015, 9, 1)
    employment = anna.employments.get(organization=world.school_a)
    assert employment.position == "deputy_director" and employment.is_management
    assert Teacher.objects.get(snils=snils(2)).career_start == datetime.date(2015, 9, 1)


def test_excel_serial_dates_and_numeric_snils(operator, world, tmp_path):
    rows = [
        HEADER,
        teacher_row(1, world.school_a.name, career=42248, snils=int("00112233445"[:0] or snils(3))),
    ]
    summary = import_run(
        user=operator, kind="teachers", path=str(write_xlsx(tmp_path / "n.xlsx", rows)), commit=True
    )
    assert summary["created"] == 1, summary
    assert Teacher.objects.get(snils=snils(3)).career_start == datetime.date(2015, 9, 1)


def test_update_and_idempotency(operator, world, tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx", [HEADER, teacher_row(1, world.school_a.name)], title_rows=1
    )
    assert import_run(user=operator, kind="teachers", path=str(path), commit=True)["created"] == 1
    changed = write_xlsx(
        tmp_path / "b.xlsx",
        [HEADER, teacher_row(1, world.school_a.name, last="Сидорова", position="директор")],
    )
    summary = import_run(user=operator, kind="teachers", path=str(changed), commit=True)
    assert summary["updated"] == 1
    teacher = Teacher.objects.get(snils=snils(1))
    assert teacher.last_name == "Сидорова"
    assert teacher.employments.get().position == "director"
    assert teacher.history.count() == 2
    again = import_run(user=operator, kind="teachers", path=str(changed), commit=True)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)


def test_school_coordinator_only_into_own_school(school_coordinator, world, tmp_path):
    rows = [
        HEADER,
        teacher_row(1, ""),
        teacher_row(2, world.school_b.name),
        teacher_row(3, world.school_d.name),
    ]
    summary = import_run(
        user=school_coordinator,
        kind="teachers",
        path=str(write_xlsx(tmp_path / "s.xlsx", rows)),
        commit=True,
    )
    assert summary["created"] == 1
    reasons = {r["row"]: r["reason"] for r in summary["rejected_rows"]}
    assert "вне вашей зоны ответственности" in reasons["2"]
    assert "вне вашей зоны ответственности" in reasons["3"]
    assert Employment.objects.get(teacher__snils=snils(1)).organization == world.school_a
    assert not Teacher.objects.filter(snils__in=[snils(2), snils(3)]).exists()


def test_municipal_coordinator_only_into_municipality(tomsk_district_coordinator, world, tmp_path):
    rows = [HEADER, teacher_row(1, world.school_b.name), teacher_row(2, world.school_c.name)]
    summary = import_run(
        user=tomsk_district_coordinator,
        kind="teachers",
        path=str(write_xlsx(tmp_path / "m.xlsx", rows)),
        commit=True,
    )
    assert summary["created"] == 1 and summary["rejected"] == 1
    assert "вне вашей зоны" in summary["rejected_rows"][0]["reason"]


def test_teacher_of_another_school_is_not_renamed_by_school(school_coordinator, world, tmp_path):
    other = world.teacher_b
    rows = [HEADER, teacher_row(1, "", snils=other.snils, last="Другая")]
    summary = import_run(
        user=school_coordinator,
        kind="teachers",
        path=str(write_xlsx(tmp_path / "o.xlsx", rows)),
        commit=True,
    )
    assert summary["rejected"] == 1 and "вне вашей зоны" in summary["rejected_rows"][0]["reason"]
    other.refresh_from_db()
    assert other.last_name == "Борисова"


def test_teacher_and_methodist_cannot_import(teacher_user, methodist, tmp_path, world):
    path = write_xlsx(tmp_path / "t.xlsx", [HEADER, teacher_row(1, world.school_a.name)])
    for user in (teacher_user, methodist):
        summary = import_run(user=user, kind="teachers", path=str(path), commit=True)
        assert "не позволяет" in summary["error"]
    assert not Teacher.objects.filter(snils=snils(1)).exists()


def test_organizations_import_by_inn_and_name(
    operator, tomsk_district_coordinator, world, tmp_path
):
    inn = make_inn(701700001)
    rows = [
        ["Полное наименование", "Краткое наименование", "ИНН", "Муниципалитет", "ШНОР"],
        ["МБОУ «Новая СОШ»", "Новая СОШ", inn, "Томский район", "да"],
        [world.school_a.name, "", "", "томский  район", "нет"],
        ["МБОУ «Вторая СОШ»", "", "7017000000", "Томский район", ""],
        ["МБОУ «Третья СОШ»", "", "", "Неизвестный район", ""],
    ]
    path = write_xlsx(tmp_path / "o.xlsx", rows)
    summary = import_run(user=operator, kind="organizations", path=str(path), commit=True)
    assert (summary["created"], summary["unchanged"], summary["rejected"]) == (1, 1, 2), summary
    created = Organization.objects.get(inn=inn)
    assert created.low_results and created.municipality == world.tomsk_district
    again = import_run(user=operator, kind="organizations", path=str(path), commit=True)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    # A municipal coordinator cannot touch the neighbouring municipality.
    other = write_xlsx(
        tmp_path / "p.xlsx", [rows[0], ["МБОУ «Асиновская»", "", "", "Асиновский район", ""]]
    )
    summary = import_run(
        user=tomsk_district_coordinator, kind="organizations", path=str(other), commit=True
    )
    assert summary["rejected"] == 1 and "вне вашей зоны" in summary["rejected_rows"][0]["reason"]


def test_school_coordinator_cannot_import_organizations(school_coordinator, tmp_path):
    path = write_xlsx(
        tmp_path / "o.xlsx", [["Полное наименование", "Муниципалитет"], ["X", "Томский район"]]
    )
    summary = import_run(user=school_coordinator, kind="organizations", path=str(path), commit=True)
    assert "не позволяет загружать организации" in summary["error"]
