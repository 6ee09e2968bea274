"""Enrollments, event participants and mentor pairs: generated files with good and bad rows."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from profdev.common.tests.factories import teacher_at
from profdev.events.choices import EventLevel
from profdev.events.models import EventParticipation
from profdev.events.tests.factories import EventFactory
from profdev.imports.services import import_run
from profdev.imports.tests.helpers import snils, write_xlsx
from profdev.imports.workbooks import write_rejected
from profdev.learning.choices import EnrollmentStatus, StepKind, StepStatus
from profdev.learning.models import Enrollment
from profdev.learning.tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    ProgramFactory,
    RouteFactory,
    RouteStepFactory,
)
from profdev.mentorship.models import MentorPair
from profdev.mentorship.tests.factories import MentorPairFactory, form

pytestmark = pytest.mark.django_db

BAD_SNILS = "112-233-445 96"  # checksum of 112-233-445 95 is 95


def fmt(value: str) -> str:
    return f"{value[:3]}-{value[3:6]}-{value[6:9]} {value[9:]}"


def reasons(summary):
    return {item["row"]: item["reason"] for item in summary["rejected_rows"]}


# --- enrollments ----------------------------------------------------------------------------

ENROLL_HEADER = ["№", "Программа ДПП ПК", "Поток", "СНИЛС", "ФИО", "Статус", "Дата завершения",
                 "Номер удостоверения"]  # fmt: skip


@pytest.fixture
def cohort(world):
    program = ProgramFactory(title="Функциональная грамотность", region=world.tomsk)
    return CohortFactory(
        program=program,
        title="Поток 1",
        start_date=datetime.date(2023, 3, 1),
        end_date=datetime.date(2023, 3, 31),
    )


def enrollment_rows(world, cohort):
    a, b, c, d = world.teacher_a, world.teacher_b, world.teacher_c, world.teacher_d
    title = "  функциональная  ГРАМОТНОСТЬ "
    done = datetime.date(2023, 3, 30)
    return [
        ["Слушатели курсов ПК, март 2023"],
        ENROLL_HEADER,
        [1, title, "поток 1", fmt(a.snils), "Алексеева Анна", "Завершил обучение", done, "A-1"],
        [2, title, "Поток 1", b.snils, "", "", None, ""],
        [3, title, "Поток 1", d.snils, "", "", None, ""],
        [4, title, "Поток 1", BAD_SNILS, "", "", None, ""],
        [5, title, "Поток 1", snils(77), "", "", None, ""],
        [6, title, "Поток 1", c.snils, "", "", done, "A-1"],
        [7, title, "Поток 1", a.snils, "", "", None, ""],
        [8, title, "Поток 1", c.snils, "", "", datetime.date(2023, 2, 1), "C-1"],
        [9, "Неизвестная программа", "Поток 1", c.snils, "", "", None, ""],
        [10, title, "Поток 1", c.snils, "Петрова Мария", "", None, ""],
        [11, title, "Поток 1", c.snils, "", "Окончил", None, ""],
        [12, title, "Поток 1", c.snils, "", "Завершил обучение", None, ""],
    ]


def test_enrollments_preview_commit_idempotent(methodist, world, cohort, tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", enrollment_rows(world, cohort))
    preview = import_run(user=methodist, kind="enrollments", path=str(path))
    assert preview["error"] == "" and not preview["committed"]
    assert (preview["created"], preview["rejected"]) == (2, 10), preview["rejected_rows"]
    assert not Enrollment.objects.exists()
    why = reasons(preview)
    assert "вне вашей зоны ответственности" in why["3"]
    assert "контрольн" in why["4"].lower()
    assert "не найден в реестре" in why["5"]
    assert "уже выдано по этой программе" in why["6"]
    assert "строке 1" in why["7"]
    assert "раньше начала потока" in why["8"]
    assert "не найдена в каталоге" in why["9"]
    assert "не совпадает" in why["10"]
    assert "не из списка" in why["11"]
    assert "укажите дату завершения" in why["12"]

    summary = import_run(user=methodist, kind="enrollments", path=str(path), commit=True)
    assert summary["committed"] and summary["created"] == 2
    done = Enrollment.objects.get(teacher=world.teacher_a)
    assert done.status == EnrollmentStatus.COMPLETED and done.certificate_number == "A-1"
    assert done.completion_date == datetime.date(2023, 3, 30)
    assert done.history.get().history_user == methodist
    assert Enrollment.objects.get(teacher=world.teacher_b).status == EnrollmentStatus.ENROLLED

    again = import_run(user=methodist, kind="enrollments", path=str(path), commit=True)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert Enrollment.history.count() == 2


def test_enrollment_completion_update_completes_route_step(methodist, world, cohort, tmp_path):
    enrollment = EnrollmentFactory(cohort=cohort, teacher=world.teacher_b)
    route = RouteFactory(teacher=world.teacher_b)
    step = RouteStepFactory(route=route, kind=StepKind.COURSE, enrollment=enrollment)
    rows = [
        ENROLL_HEADER,
        [1, cohort.program.title, "", world.teacher_b.snils, "", "", "30.03.2023", "B-7"],
    ]
    summary = import_run(
        user=methodist,
        kind="enrollments",
        path=str(write_xlsx(tmp_path / "u.xlsx", rows)),
        commit=True,
    )
    assert summary["updated"] == 1, summary
    enrollment.refresh_from_db()
    assert (
        enrollment.status == EnrollmentStatus.COMPLETED and enrollment.certificate_number == "B-7"
    )
    step.refresh_from_db()
    assert step.status == StepStatus.DONE and step.actual_end == datetime.date(2023, 3, 30)
    assert step.history.first().history_user == methodist


def test_enrollments_need_center_role(school_coordinator, world, cohort, tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", enrollment_rows(world, cohort))
    summary = import_run(user=school_coordinator, kind="enrollments", path=str(path), commit=True)
    assert "методисты" in summary["error"] and not Enrollment.objects.exists()


def test_enrollments_command_dry_run(capsys, methodist, world, cohort, tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", enrollment_rows(world, cohort))
    call_command("import_data", "enrollments", str(path), "--dry-run", "--user", "methodist")
    out = capsys.readouterr().out
    assert "создано: 2" in out and "отклонено: 10" in out and "строка 8:" in out
    assert not Enrollment.objects.exists()


# --- event participants ---------------------------------------------------------------------

PART_HEADER = ["№ п/п", "Название мероприятия", "Дата проведения", "СНИЛС участника", "ФИО",
               "Организация", "Роль"]  # fmt: skip


@pytest.fixture
def event(world):
    return EventFactory(
        title="Региональный семинар «Наставничество»",
        region=world.tomsk,
        start_date=datetime.date(2024, 3, 15),
    )


def participant_rows(world, event):
    title = "РЕГИОНАЛЬНЫЙ семинар \u00abНаставничество\u00bb "
    return [
        PART_HEADER,
        [1, title, "15.03.2024", world.teacher_a.snils, "Алексеева А. А.", "", "Спикер"],
        [2, title, "", fmt(world.teacher_b.snils), "", "", ""],
        [3, title, "", "", "", world.school_a.name, "Организатор"],
        [4, title, "", world.teacher_d.snils, "", "", ""],
        [5, title, "", "", "", "МБОУ «Нет такой»", ""],
        [6, title, "", world.teacher_a.snils, "", "", ""],
        [7, "Неизвестное мероприятие", "", world.teacher_c.snils, "", "", ""],
        [8, title, "", BAD_SNILS, "", "", ""],
        [9, title, "", "", "", world.school_d.name, ""],
        [10, title, "", "", "", "", ""],
        [11, title, "16.03.2025", world.teacher_c.snils, "", "", ""],
    ]


def test_participants_preview_commit_idempotent(operator, world, event, tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", participant_rows(world, event))
    summary = import_run(user=operator, kind="participants", path=str(path), commit=True)
    assert summary["committed"] and (summary["created"], summary["rejected"]) == (3, 8), summary
    why = reasons(summary)
    assert "вне вашей зоны ответственности" in why["4"]
    assert "не найдена в реестре организаций" in why["5"]
    assert "строке 1" in why["6"]
    assert "не найдено" in why["7"]
    assert "контрольн" in why["8"].lower()
    assert "вне вашей зоны ответственности" in why["9"]
    assert "Укажите СНИЛС участника или организацию" in why["10"]
    assert "не найдено" in why["11"]
    speaker = EventParticipation.objects.get(teacher=world.teacher_a)
    assert speaker.role == "speaker" and speaker.history.get().history_user == operator
    assert EventParticipation.objects.get(organization=world.school_a).role == "organizer"
    again = import_run(user=operator, kind="participants", path=str(path), commit=True)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    changed = write_xlsx(
        tmp_path / "q.xlsx",
        [PART_HEADER, [1, event.title, "", world.teacher_a.snils, "", "", "Член жюри"]],
    )
    summary = import_run(user=operator, kind="participants", path=str(changed), commit=True)
    assert summary["updated"] == 1
    assert EventParticipation.objects.get(teacher=world.teacher_a).role == "jury"


def test_municipal_coordinator_only_own_municipal_events(
    tomsk_district_coordinator, world, event, tmp_path
):
    own = EventFactory(
        title="Районный семинар",
        region=world.tomsk,
        level=EventLevel.MUNICIPAL,
        municipality=world.tomsk_district,
    )
    rows = [
        PART_HEADER,
        [1, event.title, "", world.teacher_a.snils, "", "", ""],
        [2, own.title, "", world.teacher_a.snils, "", "", ""],
        [3, own.title, "", world.teacher_c.snils, "", "", ""],
    ]
    summary = import_run(
        user=tomsk_district_coordinator,
        kind="participants",
        path=str(write_xlsx(tmp_path / "m.xlsx", rows)),
        commit=True,
    )
    assert (summary["created"], summary["rejected"]) == (1, 2)
    why = reasons(summary)
    assert "нет прав изменять участников" in why["1"]
    assert "вне вашей зоны ответственности" in why["3"]
    assert EventParticipation.objects.get().event == own


def test_participants_command_dry_run(capsys, operator, world, event, tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", participant_rows(world, event))
    call_command("import_data", "participants", str(path), "--dry-run", "--user", "operator")
    out = capsys.readouterr().out
    assert "создано: 3" in out and "отклонено: 8" in out
    assert not EventParticipation.objects.exists()


# --- mentor pairs ---------------------------------------------------------------------------

PAIR_HEADER = ["№", "СНИЛС наставника", "ФИО наставника", "СНИЛС наставляемого",
               "ФИО наставляемого", "ОО", "Форма наставничества", "Дата начала",
               "Плановое окончание"]  # fmt: skip
FORM = "опытный педагог – молодой специалист"


@pytest.fixture
def people(world):
    return {
        "mentor": teacher_at(world.school_a, last_name="Наставникова", first_name="Нина"),
        "young1": teacher_at(world.school_a, last_name="Молодова", first_name="Майя"),
        "young2": teacher_at(world.school_a, last_name="Юнова", first_name="Юлия"),
        "cross": teacher_at(world.school_b, last_name="Соседова", first_name="Софья"),
        "far": teacher_at(world.school_c, last_name="Дальняя", first_name="Дарья"),
    }


def pair_rows(world, people):
    start, end = datetime.date(2024, 9, 1), datetime.date(2025, 6, 30)
    m, y1, y2 = people["mentor"], people["young1"], people["young2"]
    school = world.school_a.name
    return [
        ["Наставнические пары МБОУ «Корниловская СОШ»"],
        PAIR_HEADER,
        [1, fmt(m.snils), "Наставникова Нина", y1.snils, "Молодова Майя", school, FORM, start, end],
        [2, m.snils, "", y2.snils, "", school, FORM.upper(), start, end],
        [3, people["cross"].snils, "", world.teacher_a.snils, "", school, FORM, start, end],
        [4, m.snils, "", people["far"].snils, "", school, FORM, start, end],
        [5, m.snils, "", m.snils, "", school, FORM, start, end],
        [6, m.snils, "", y1.snils, "", school, FORM, start, end],
        [7, m.snils, "", world.teacher_b.snils, "", school, "неизвестная форма", start, end],
        [8, m.snils, "", world.teacher_b.snils, "", school, FORM, end, start],
        [9, BAD_SNILS, "", world.teacher_b.snils, "", school, FORM, start, end],
        [10, m.snils, "", world.teacher_b.snils, "", "МБОУ «Нет такой»", FORM, start, end],
        [11, m.snils, "", world.teacher_d.snils, "", world.school_d.name, FORM, start, end],
    ]


def test_pairs_grouped_commit_idempotent(
    tomsk_district_coordinator, operator, world, people, tmp_path
):
    path = write_xlsx(tmp_path / "pairs.xlsx", pair_rows(world, people))
    user = tomsk_district_coordinator
    preview = import_run(user=user, kind="pairs", path=str(path))
    assert (preview["created"], preview["rejected"]) == (3, 8), preview["rejected_rows"]
    assert not MentorPair.objects.exists()
    why = reasons(preview)
    assert "вне вашей зоны ответственности" in why["4"]
    assert "своим наставляемым" in why["5"]
    assert "строке 1" in why["6"]
    assert "не из списка" in why["7"]
    assert "раньше, чем начинается" in why["8"]
    assert "контрольн" in why["9"].lower()
    assert "не найдена в реестре" in why["10"]
    assert "вне вашей зоны ответственности" in why["11"]

    # The operator sees the other district, but pairs stay inside one municipality.
    by_operator = import_run(user=operator, kind="pairs", path=str(path))
    assert "не работает в муниципалитете" in reasons(by_operator)["4"]

    summary = import_run(user=user, kind="pairs", path=str(path), commit=True)
    assert summary["committed"] and summary["created"] == 3, summary
    group = MentorPair.objects.get(mentor=people["mentor"])
    assert set(group.mentees.all()) == {people["young1"], people["young2"]}
    assert group.organization == world.school_a and group.form == form()
    assert group.history.first().history_user == user
    cross = MentorPair.objects.get(mentor=people["cross"])
    assert list(cross.mentees.all()) == [world.teacher_a]

    again = import_run(user=user, kind="pairs", path=str(path), commit=True)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert MentorPair.objects.count() == 2


def test_pairs_add_mentee_to_existing_and_refuse_busy_mentee(
    school_coordinator, world, people, tmp_path
):
    start, end = datetime.date(2024, 9, 1), datetime.date(2025, 6, 30)
    pair = MentorPairFactory(
        organization=world.school_a,
        mentor=people["mentor"],
        start_date=start,
        planned_end=end,
        mentees=[people["young1"]],
    )
    MentorPairFactory(
        organization=world.school_a,
        mentor=world.teacher_a,
        start_date=start,
        planned_end=end,
        mentees=[people["young2"]],
    )
    rows = [
        PAIR_HEADER,
        [1, people["mentor"].snils, "", people["young1"].snils, "", "", FORM, start, end],
        [2, people["mentor"].snils, "", world.teacher_a.snils, "", "", FORM, start, end],
        [3, people["mentor"].snils, "", people["young2"].snils, "", "", FORM, start, end],
        [4, people["mentor"].snils, "", people["cross"].snils, "", "", FORM, start, end],
    ]
    summary = import_run(
        user=school_coordinator,
        kind="pairs",
        path=str(write_xlsx(tmp_path / "x.xlsx", rows)),
        commit=True,
    )
    assert (summary["unchanged"], summary["updated"], summary["rejected"]) == (1, 1, 2), summary
    why = reasons(summary)
    assert "уже состоит в действующей паре" in why["3"]
    assert "вне вашей зоны ответственности" in why["4"]
    assert set(pair.mentees.all()) == {people["young1"], world.teacher_a}


def test_pairs_command_dry_run(capsys, tomsk_district_coordinator, world, people, tmp_path):
    path = write_xlsx(tmp_path / "pairs.xlsx", pair_rows(world, people))
    call_command("import_data", "pairs", str(path), "--dry-run", "--user", "tomsk_district")
    out = capsys.readouterr().out
    assert "создано: 3" in out and "отклонено: 8" in out
    assert not MentorPair.objects.exists()


def test_teacher_cannot_import_pairs(teacher_user, world, people, tmp_path):
    path = write_xlsx(tmp_path / "pairs.xlsx", pair_rows(world, people))
    summary = import_run(user=teacher_user, kind="pairs", path=str(path), commit=True)
    assert "могут оператор и координаторы" in summary["error"]
    assert not MentorPair.objects.exists()


# --- every kind: template, rejected rows file -----------------------------------------------


@pytest.mark.parametrize("kind", ["enrollments", "participants", "pairs"])
def test_new_kinds_templates(login, operator, kind):
    response = login(operator).get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "№ п/п" and any("СНИЛС" in str(title) for title in header)
    assert any(str(title).endswith("*") for title in header)
    assert any(cell.value not in (None, "") for cell in sheet[2][1:])
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert lists, "a drop-down list for the fixed values"
    if kind == "pairs":
        values = [c.value for c in book["Списки"]["H"] if c.value]
        assert FORM in values


def test_rejected_rows_file_of_new_kinds(methodist, world, cohort, tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", enrollment_rows(world, cohort))
    summary = import_run(user=methodist, kind="enrollments", path=str(path))
    out = tmp_path / "rejected.xlsx"
    assert write_rejected(str(out), summary) == 10
    sheet = openpyxl.load_workbook(out).active
    assert sheet.cell(1, 1).value == "Причина отклонения"
    assert sheet.cell(1, 3).value == "Программа ДПП ПК"
    assert "вне вашей зоны" in sheet.cell(2, 1).value
    # The fixed file goes back in as is: the header row is found under the reason column.
    again = import_run(user=methodist, kind="enrollments", path=str(out))
    assert again["error"] == "" and again["total"] == 10


# --- import → export for re-import → import is a no-op, for every kind ----------------------


def export_file(client, kind, tmp_path):
    response = client.get(reverse("imports:export", args=[kind]))
    assert response.status_code == 200
    path = tmp_path / f"{kind}-export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def assert_round_trip(client, user, kind, tmp_path, history_models, expected):
    before = [model.history.count() for model in history_models]
    exported = export_file(client, kind, tmp_path)
    summary = import_run(user=user, kind=kind, path=str(exported), commit=True)
    assert summary["error"] == "" and summary["rejected"] == 0, summary["rejected_rows"][:3]
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 0, expected)
    assert [model.history.count() for model in history_models] == before
    return exported


def test_round_trip_enrollments(login, methodist, world, cohort, tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", enrollment_rows(world, cohort))
    import_run(user=methodist, kind="enrollments", path=str(path), commit=True)
    assert_round_trip(login(methodist), methodist, "enrollments", tmp_path, [Enrollment], 2)


def test_round_trip_participants(login, operator, world, event, tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", participant_rows(world, event))
    import_run(user=operator, kind="participants", path=str(path), commit=True)
    assert_round_trip(login(operator), operator, "participants", tmp_path, [EventParticipation], 3)


def test_round_trip_pairs(login, tomsk_district_coordinator, world, people, tmp_path):
    user = tomsk_district_coordinator
    path = write_xlsx(tmp_path / "pairs.xlsx", pair_rows(world, people))
    import_run(user=user, kind="pairs", path=str(path), commit=True)
    assert_round_trip(login(user), user, "pairs", tmp_path, [MentorPair], 3)


def test_round_trip_organizations(login, operator, world, tmp_path):
    from profdev.orgs.models import Organization

    assert_round_trip(
        login(operator), operator, "organizations", tmp_path, [Organization],
        Organization.objects.filter(region=world.tomsk).count(),
    )  # fmt: skip


def test_reimport_export_is_audited_and_limited_to_changeable(
    login, school_coordinator, world, tmp_path
):
    from profdev.accounts.models import PersonalDataAccess
    from profdev.imports.services import SNILS_EXPORT_FIELD

    exported = export_file(login(school_coordinator), "teachers", tmp_path)
    sheet = openpyxl.load_workbook(exported).worksheets[0]
    snils_column = [c.value for c in sheet[1]].index("СНИЛС *")
    values = [row[snils_column].value for row in sheet.iter_rows(min_row=2)]
    # Full SNILS of the school's own teacher only (school B's teacher is not in it).
    assert values == [fmt(world.teacher_a.snils)]
    logged = PersonalDataAccess.objects.filter(user=school_coordinator, field=SNILS_EXPORT_FIELD)
    assert [entry.teacher for entry in logged] == [world.teacher_a]


def test_reimport_export_refused_to_roles_without_import(login, official, teacher_user):
    for user in (official, teacher_user):
        assert login(user).get(reverse("imports:export", args=["teachers"])).status_code == 403


# --- the bad files, for the new kinds too ---------------------------------------------

NEW_KINDS = {
    "enrollments": ("methodist", ENROLL_HEADER, "«Программа»", Enrollment),
    "participants": ("operator", PART_HEADER, "«Мероприятие»", EventParticipation),
    "pairs": ("tomsk_district_coordinator", PAIR_HEADER, "«СНИЛС наставляемого»", MentorPair),
}


@pytest.mark.parametrize("kind", sorted(NEW_KINDS))
def test_bad_files_for_new_kinds(request, kind, world, tmp_path):
    user_fixture, header, required, model = NEW_KINDS[kind]
    user = request.getfixturevalue(user_fixture)

    def error(path, **kwargs):
        return import_run(user=user, kind=kind, path=str(path), commit=True, **kwargs)["error"]

    not_sheet = tmp_path / "photo.xlsx"
    not_sheet.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 500)
    assert "не является таблицей" in error(not_sheet)
    good = write_xlsx(tmp_path / "good.xlsx", [header, [1] * len(header)])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:1500])
    assert "повреждён" in error(broken)
    secret = tmp_path / "secret.xlsx"
    secret.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    assert "паролем" in error(secret)
    assert "пуст" in error(write_xlsx(tmp_path / "empty.xlsx", []))
    assert "нет ни одной строки" in error(write_xlsx(tmp_path / "h.xlsx", [header]))
    # The header without the kind's key column (its synonym in the test header included).
    key_titles = {"enrollments": "Программа ДПП ПК", "participants": "Название мероприятия"}
    dropped = key_titles.get(kind, "СНИЛС наставляемого")
    without = [title for title in header if title != dropped]
    missing = error(write_xlsx(tmp_path / "m.xlsx", [without, ["x"] * len(without)]))
    assert "нет обязательных столбцов" in missing and required in missing
    huge = tmp_path / "huge.csv"
    with open(huge, "w", encoding="utf-8") as handle:
        handle.write(";".join(header) + "\r\n")
        handle.write((";".join(["1"] * len(header)) + "\r\n") * 1_000_000)
    assert "больше 200 000 строк" in error(huge)
    big = tmp_path / "big.xlsx"
    with open(big, "wb") as handle:
        handle.truncate(51 * 1024 * 1024)
    assert "слишком большой" in error(big)
    formula = write_xlsx(tmp_path / "f.xlsx", [header, ["=1+1"] + ["x"] * (len(header) - 1)])
    summary = import_run(user=user, kind=kind, path=str(formula), commit=True)
    assert summary["rejected"] == 1 and "формула" in summary["rejected_rows"][0]["reason"]
    assert not model.objects.exists()
