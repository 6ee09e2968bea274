"""End to end through the pages: open a campaign → schools submit → the municipality returns and
accepts → the municipality submits → the operator accepts → the analytical report is generated."""

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from profdev.common.tests.factories import UserFactory
from profdev.reports.models import GeneratedReport
from profdev.roadmap.models import Campaign, Report, ReportTransition
from profdev.roadmap.tests.factories import program_with_roadmap

pytestmark = pytest.mark.django_db


def fill_through_page(client: Any, report: Report, **fields: str) -> None:
    for item in report.items.all():
        data = {f"item{item.pk}-status": "done", f"item{item.pk}-description": "Сделано"}
        data.update({f"item{item.pk}-{key}": value for key, value in fields.items()})
        response = client.post(reverse("roadmap:item-save", args=[item.pk]), data)
        assert response.status_code == 302


def act(client: Any, report: Report, action: str, comment: str = "") -> str:
    url = reverse("roadmap:report-action", args=[report.pk, action])
    return str(client.post(url, {"comment": comment}, follow=True).content.decode())


def test_campaign_to_analytical_report(
    client: Any,
    world: Any,
    operator: Any,
    school_coordinator: Any,
    tomsk_district_coordinator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    school_b_user: Any = UserFactory(
        username="school_b", role="school", region=world.tomsk, organization=world.school_b
    )
    program = program_with_roadmap(world.tomsk)

    # 1. the operator opens the campaign (this year, the deadline ahead: nobody is late)
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=30)
    client.force_login(operator)
    response = client.post(
        reverse("roadmap:campaign-open"),
        {"program": program.pk, "year": today.year, "half": "", "deadline": deadline.isoformat()},
    )
    campaign = Campaign.objects.get(program=program, year=today.year)
    assert response["Location"] == campaign.get_absolute_url()
    report_a = Report.objects.get(campaign=campaign, organization=world.school_a)
    report_b = Report.objects.get(campaign=campaign, organization=world.school_b)
    municipal = Report.objects.get(
        campaign=campaign, kind="municipality", municipality=world.tomsk_district
    )

    # 2. both schools fill in and submit
    for user, report in ((school_coordinator, report_a), (school_b_user, report_b)):
        client.force_login(user)
        fill_through_page(client, report, figures="pairs=2; teachers=15")
        assert "Отчёт отправлен на проверку." in act(client, report, "submit")

    # 3. the municipality cannot submit yet, returns school B and accepts school A
    client.force_login(tomsk_district_coordinator)
    fill_through_page(client, municipal)
    assert "Не приняты отчёты школ" in act(client, municipal, "submit")
    assert "Отчёт возвращён на доработку." in act(client, report_b, "return", "Нет приказа")
    assert "Отчёт принят." in act(client, report_a, "accept")

    # 4. school B sees the comment, corrects and resubmits; the municipality accepts
    client.force_login(school_b_user)
    assert "Нет приказа" in client.get(report_b.get_absolute_url()).content.decode()
    fill_through_page(client, report_b, figures="pairs=3; teachers=15")
    assert "Отчёт отправлен на проверку." in act(client, report_b, "submit")
    client.force_login(tomsk_district_coordinator)
    assert "Отчёт принят." in act(client, report_b, "accept")

    # 5. the municipality submits its own report; the operator accepts it
    assert "Отчёт отправлен на проверку." in act(client, municipal, "submit")
    client.force_login(operator)
    assert "Отчёт принят." in act(client, municipal, "accept", "Принято")
    assert [(t.to_status, t.user_id) for t in ReportTransition.objects.filter(report=report_b)] == [
        ("submitted", school_b_user.pk),
        ("returned", tomsk_district_coordinator.pk),
        ("submitted", school_b_user.pk),
        ("accepted", tomsk_district_coordinator.pk),
    ]

    # 6. the operator generates the analytical report and downloads it
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:generate", args=[campaign.pk]))
    generated = GeneratedReport.objects.get(campaign=campaign)
    assert generated.status == "done"
    page = client.get(reverse("reports:campaign", args=[campaign.pk])).content.decode()
    assert "Отчёт сформирован" in page
    docx = client.get(reverse("reports:download", args=[generated.pk, "docx"]))
    doc = Document(io.BytesIO(b"".join(docx.streaming_content)))
    completeness = {row.cells[0].text: [c.text for c in row.cells] for row in doc.tables[2].rows}
    # Томский район: two schools and its own report, all accepted, none late
    assert completeness["Томский район"][1:] == ["3", "0", "0", "0", "3", "0", "0"]
    assert completeness["Итого"][5] == "3"
    execution = {row.cells[0].text: [c.text for c in row.cells] for row in doc.tables[1].rows}
    assert execution["3.1"][2:4] == ["3", "2"]  # three schools in the region, two done
    xlsx = client.get(reverse("reports:download", args=[generated.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    rows = {r[0]: r for r in book["Полнота отчётности"].iter_rows(values_only=True)}
    assert rows["Томский район"][5] == 3 and rows["Асиновский район"][5] == 0
