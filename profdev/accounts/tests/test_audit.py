"""The audit trail: every model is tracked, bulk and queryset writes included; the search page."""

import datetime
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from simple_history.models import registered_models

from profdev.common.tests.fixtures import ROLE_FIXTURES, World

# Append-only logs: each row already is an audit record (who, when) and is never changed.
APPEND_ONLY_LOGS = {
    "indicators.DataVersion": "cache stamps rewritten by database triggers on every write, no user data",
    "people.TeacherPlace": "copy of employments written only by database triggers; the employments have history",
    "indicators.RegionVersion": "per-region cache stamps rewritten by database triggers, no user data",
    "people.ListVersion": "per-region stamps of the teacher lists rewritten by database triggers",
    "indicators.CountStep": "running counts derived from the source rows, rebuilt per region",
    "indicators.CountStepBuild": "which stamps a region's count steps were built from",
    "accounts.PersonalDataAccess": "log of full-SNILS views (user, accessed_at)",
    "learning.RouteTransition": "log of route status changes (changed_by, changed_at)",
    "roadmap.ReportTransition": "log of report status changes (user, at)",
    "roadmap.Reminder": "log of reminders sent (sent_by, sent_at)",
}
PROJECT = Path(__file__).resolve().parents[2]


def test_every_model_has_history_or_is_an_append_only_log() -> None:
    tracked = set(registered_models.values())
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("profdev.")
        and not model.__name__.startswith("Historical")
        and model not in tracked
        and model._meta.label not in APPEND_ONLY_LOGS
    ]
    assert not missing, f"add `history = HistoricalRecords()` to {missing}"


# Queryset writes that bypass simple-history, and the ones allowed with the reason.
UNTRACKED_WRITE = re.compile(r"\.(?:update|bulk_create|bulk_update)\(")
ALLOWED_UNTRACKED = {
    # conditional UPDATE as a concurrency guard; the service saves the report right after
    "roadmap/services.py": "Report.objects.filter(pk=report.pk, status=locked.status).update(",
    # the personal-data access log is itself an append-only log (see APPEND_ONLY_LOGS)
    "imports/services.py": "PersonalDataAccess.objects.bulk_create(records",
    # used only by the import bench with the audit switched off, to measure the audit's cost
    "imports/kinds/teachers.py": "model.objects.bulk_update(objs, fields, batch_size",
    # a restore puts back the backup's cache stamps (append-only logs of triggers, no history)
    "accounts/backup.py": "model.objects.bulk_create(obj.object for obj in objects",
}


def test_no_write_bypasses_the_audit_trail() -> None:
    """`QuerySet.update()`, `bulk_create` and `bulk_update` skip history: use the helpers."""
    problems = []
    for path in PROJECT.rglob("*.py"):
        relative = path.relative_to(PROJECT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative.endswith("demo.py"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#", 1)[0]
            if not UNTRACKED_WRITE.search(code) or "_with_history(" in code:
                continue
            if re.search(
                r"\b(dict|set|counts?|context|kwargs|attrs|query|fields|seen)\w*\.update\(", code
            ):
                continue
            if not re.search(r"(objects|filter\(.*\)|\.all\(\)|queryset|_set)\s*\.", code):
                continue
            allowed = ALLOWED_UNTRACKED.get(relative)
            if allowed and allowed in code:
                continue
            problems.append(f"{relative}:{number}: {line.strip()}")
    assert not problems, "\n".join(problems)


def test_a_committed_import_writes_history_with_the_user(
    world: World, operator: Any, tmp_path: Path
) -> None:
    from profdev.imports.services import import_run
    from profdev.imports.tests.helpers import HEADER, teacher_row, write_xlsx
    from profdev.people.models import Employment, Teacher

    org = world.school_a.name
    rows = [HEADER, *(teacher_row(n, org, last=f"Импортова{n}") for n in range(1, 6))]
    path = write_xlsx(tmp_path / "teachers.xlsx", rows)
    summary = import_run(
        user=operator, kind="teachers", path=str(path), filename="teachers.xlsx", commit=True
    )
    assert not summary.get("error"), summary
    teachers = Teacher.objects.filter(last_name__startswith="Импортова")
    assert teachers.count() == 5
    history = Teacher.history.filter(last_name__startswith="Импортова", history_type="+")
    assert history.count() == 5
    assert {h.history_user_id for h in history} == {operator.pk}
    employments = Employment.history.filter(teacher_id__in=teachers.values("pk"))
    assert employments.count() >= 5


def test_report_status_changes_and_campaign_reports_are_in_the_trail(
    world: World, operator: Any
) -> None:
    from profdev.roadmap.models import Report
    from profdev.roadmap.services import campaign_open, report_item_save, report_submit
    from profdev.roadmap.tests.factories import program_with_roadmap

    program = program_with_roadmap(world.tomsk)
    campaign = campaign_open(
        user=operator, program=program, year=2024, deadline=datetime.date(2025, 1, 20)
    )
    reports = list(Report.objects.filter(campaign=campaign))
    assert reports
    created = Report.history.filter(campaign_id=campaign.pk, history_type="+")
    assert created.count() == len(reports)
    assert {h.history_user_id for h in created} == {operator.pk}
    region_report = next(r for r in reports if r.kind == "region")
    for item in region_report.items.all():
        report_item_save(user=operator, item=item, status="done", description="Сделано")
    report_submit(user=operator, report=region_report)
    latest = Report.history.filter(id=region_report.pk).order_by("-history_date").first()
    assert latest is not None and latest.status == "submitted"


@pytest.fixture
def audited(world: World, operator: Any, methodist: Any) -> Any:
    """Some writes by two users: a teacher created and changed, an event deleted."""
    from profdev.common.tests.factories import TeacherFactory
    from profdev.events.tests.factories import EventFactory

    teacher = TeacherFactory.build(last_name="Журналова", first_name="Ирина", snils="11223344595")
    teacher._history_user = operator
    teacher.save()
    teacher.first_name = "Инна"
    teacher.snils = "11223344596"[:-2] + "95"
    teacher._history_user = methodist
    teacher.save()
    event: Any = EventFactory(region=world.tomsk, title="Удаляемый семинар")
    event._history_user = operator
    event.delete()
    return teacher


def test_the_operator_searches_the_trail(
    audited: Any, operator: Any, methodist: Any, login: Any
) -> None:
    client: Client = login(operator)
    url = reverse("accounts:audit")
    response = client.get(url)
    assert response.status_code == 200
    assert "Журналова" in response.content.decode()
    response = client.get(url, {"model": "people.Teacher", "object_id": audited.pk})
    rows = response.context["rows"]
    assert [r.action for r in rows] == ["изменение", "создание"]
    assert rows[0].user == str(methodist)
    assert any(c.startswith("first_name: Ирина → Инна") for c in rows[0].changes)
    assert "11223344595" not in response.content.decode()  # SNILS masked in the changes
    response = client.get(url, {"user": methodist.pk})
    assert {r.user for r in response.context["rows"]} == {str(methodist)}
    response = client.get(url, {"action": "-", "model": "events.Event"})
    assert [r.object for r in response.context["rows"]] == ["Удаляемый семинар"]
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = client.get(url, {"date_from": tomorrow})
    assert response.context["rows"] == []
    response = client.get(url, {"date_from": tomorrow, "date_to": "2020-01-01"})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get(url, {"page": "9999", "object_id": "x"}).status_code == 200


def test_the_trail_is_paginated_and_exported(
    audited: Any, operator: Any, login: Any, world: World
) -> None:
    from profdev.common.tests.factories import teacher_at
    from profdev.people.models import Teacher

    for _n in range(60):
        teacher_at(world.school_a)
    client: Client = login(operator)
    url = reverse("accounts:audit")
    first = client.get(url, {"model": "people.Teacher"})
    assert len(first.context["rows"]) == 50
    # the Novosibirsk teacher is outside the Tomsk operator's trail
    total = Teacher.history.exclude(id=world.teacher_d.pk).count()
    assert total >= 62
    assert first.context["page"].paginator.count == total
    second = client.get(url, {"model": "people.Teacher", "page": 2})
    assert len(second.context["rows"]) == min(50, total - 50)
    export: Any = client.get(url, {"model": "people.Teacher", "export": "xlsx"})
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    sheet = book.active
    assert sheet.max_row == total + 1
    assert sheet.cell(1, 1).value == "Когда"


@pytest.mark.parametrize("role", [r for r in ROLE_FIXTURES if "operator" not in r])
def test_other_roles_cannot_open_the_trail(role: str, request: Any, client: Client) -> None:
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("accounts:audit")).status_code == 403
    assert client.get(reverse("accounts:audit"), {"export": "xlsx"}).status_code == 403


def _changes_as_simple_history_gives_them(entry: tuple[Any, ...]) -> list[str]:
    """A row's changes read record by record: its `prev_record` and `diff_against`."""
    from profdev.accounts import audit

    history: Any = audit.audited_models()[entry[5]].history.model  # type: ignore[attr-defined]
    record = history.objects.get(history_id=entry[0])
    previous = record.prev_record
    if record.history_type == "-" or previous is None:  # no diff: the values as they are
        return audit._changes(record, None, {})
    return [
        f"{c.field}: {audit._show(c.field, c.old)} → {audit._show(c.field, c.new)}"
        for c in record.diff_against(previous).changes
    ]


def test_records_of_gone_objects_show_and_a_page_reads_few_queries(
    operator: Any, login: Any, world: World, django_assert_max_num_queries: Any
) -> None:
    """An employment's records still show once its teacher is deleted (its text names a
    teacher that is gone); describing many rows reads a few queries per model, not several
    per row, and gives the changes simple-history gives record by record."""
    from profdev.accounts import audit
    from profdev.common.tests.factories import teacher_at
    from profdev.imports.services import history_user
    from profdev.people.models import Subject

    maths, physics = (
        Subject.objects.create(name="Математика"),
        Subject.objects.create(name="Физика"),
    )
    teachers = [teacher_at(world.school_a, last_name=f"Уволенная{n}") for n in range(30)]
    with history_user(operator):
        for teacher in teachers[:10]:
            teacher.first_name = "Другая"
            teacher.save()
        for teacher in teachers[5:15]:
            teacher.subjects.add(maths)
        for teacher in teachers[10:13]:
            teacher.subjects.set([physics])
        teachers[0].delete()  # its employment goes with it
    client: Client = login(operator)
    response = client.get(reverse("accounts:audit"), {"model": "people.Employment"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.action for r in rows].count("удаление") == 1
    assert any("МБОУ «Корниловская СОШ»" in r.object for r in rows)

    entries = list(audit.audit_entries(audit.AuditFilter(), user=operator)[:300])
    assert len(entries) >= 90
    with django_assert_max_num_queries(40):
        described = list(audit.describe(entries))
    assert sum(any(c.startswith("subjects:") for c in r.changes) for r in described) >= 13
    expected = [_changes_as_simple_history_gives_them(entry) for entry in entries]
    assert [r.changes for r in described] == expected
