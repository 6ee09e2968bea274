"""Pages: scope, the review buttons, messages and the XLSX export."""

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from profdev.roadmap import services
from profdev.roadmap.models import Report
from profdev.roadmap.tests.factories import program_with_roadmap

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world: Any, operator: Any) -> Any:
    program = program_with_roadmap(world.tomsk)
    return services.campaign_open(
        user=operator, program=program, year=2025, deadline=datetime.date(2026, 1, 20)
    )


def report_of(campaign: Any, school: Any) -> Report:
    return Report.objects.get(campaign=campaign, organization=school)


def test_index_and_program_pages(login: Any, operator: Any, campaign: Any) -> None:
    client = login(operator)
    page = client.get(reverse("roadmap:index"))
    assert page.status_code == 200
    assert "Мониторинг дорожной карты за 2025 год" in page.content.decode()
    page = client.get(campaign.program.get_absolute_url())
    assert "Положение о наставничестве" in page.content.decode()
    assert client.get(reverse("roadmap:campaign-open")).status_code == 200


def test_open_campaign_page_rejects_early_deadline(login: Any, operator: Any, world: Any) -> None:
    program = program_with_roadmap(world.tomsk)
    page = login(operator).post(
        reverse("roadmap:campaign-open"),
        {"program": program.pk, "year": 2025, "half": "", "deadline": "2024-12-01"},
    )
    assert "Срок сдачи отчётов раньше начала отчётного периода." in page.content.decode()
    assert not program.campaigns.exists()


def test_school_fills_and_submits_through_pages(
    login: Any, school_coordinator: Any, campaign: Any, world: Any
) -> None:
    report = report_of(campaign, world.school_a)
    client = login(school_coordinator)
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    page = client.post(reverse("roadmap:report-action", args=[report.pk, "submit"]), follow=True)
    assert "Не заполнены обязательные мероприятия" in page.content.decode()
    for item in report.items.all():
        prefix = f"item{item.pk}"
        client.post(
            reverse("roadmap:item-save", args=[item.pk]),
            {f"{prefix}-status": "done", f"{prefix}-figures": "pairs=2; teachers=15"},
        )
    page = client.post(reverse("roadmap:report-action", args=[report.pk, "submit"]), follow=True)
    assert "Отчёт отправлен на проверку." in page.content.decode()
    assert "Отчёт отправлен на проверку и недоступен для редактирования." in page.content.decode()
    item = report.items.first()
    page = client.post(
        reverse("roadmap:item-save", args=[item.pk]),
        {f"item{item.pk}-status": "partly"},
        follow=True,
    )
    assert "недоступен для редактирования" in page.content.decode()


def test_school_sees_only_own_report(
    login: Any, school_coordinator: Any, campaign: Any, world: Any
) -> None:
    client = login(school_coordinator)
    assert client.get(report_of(campaign, world.school_b).get_absolute_url()).status_code == 404
    listing = client.get(reverse("roadmap:report-list") + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(listing.streaming_content))).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [str(world.school_a)]


def test_outsiders_get_404(
    login: Any, other_region_operator: Any, asino_coordinator: Any, campaign: Any, world: Any
) -> None:
    client = login(other_region_operator)
    assert client.get(campaign.get_absolute_url()).status_code == 404
    assert client.get(campaign.get_absolute_url() + "?export=xlsx").status_code == 404
    client = login(asino_coordinator)
    report = report_of(campaign, world.school_a)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("roadmap:report-action", args=[report.pk, "accept"])).status_code == 404
    )


def test_municipal_review_page(
    login: Any, school_coordinator: Any, tomsk_district_coordinator: Any, campaign: Any, world: Any
) -> None:
    report = report_of(campaign, world.school_a)
    for item in report.items.all():
        services.report_item_save(user=school_coordinator, item=item, status="done")
    services.report_submit(user=school_coordinator, report=report)
    client = login(tomsk_district_coordinator)
    page = client.get(report.get_absolute_url())
    assert "Принять" in page.content.decode()
    page = client.post(
        reverse("roadmap:report-action", args=[report.pk, "return"]), {"comment": ""}, follow=True
    )
    assert "Укажите, что нужно исправить в отчёте." in page.content.decode()
    page = client.post(
        reverse("roadmap:report-action", args=[report.pk, "return"]),
        {"comment": "Нет ссылки"},
        follow=True,
    )
    assert "Отчёт возвращён на доработку." in page.content.decode()
    assert Report.objects.get(pk=report.pk).status == "returned"


def test_campaign_completeness_page_and_export(
    login: Any, operator: Any, tomsk_district_coordinator: Any, campaign: Any
) -> None:
    page = login(operator).get(campaign.get_absolute_url())
    body = page.content.decode()
    assert "Полнота и своевременность" in body and "Асиновский район" in body
    export = login(tomsk_district_coordinator).get(campaign.get_absolute_url() + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Муниципалитет"
    # the district coordinator sees only its own municipality: 2 schools + its report
    assert rows[1][:3] == ("Томский район", 3, 3)
    assert rows[-1][0] == "Итого" and len(rows) == 3


def test_reminder_button(login: Any, operator: Any, campaign: Any, school_coordinator: Any) -> None:

    campaign.deadline = datetime.date(2025, 1, 2)
    campaign.save()
    page = login(operator).post(reverse("roadmap:campaign-remind", args=[campaign.pk]), follow=True)
    assert "Напоминаний отправлено: 7." in page.content.decode()
    report = Report.objects.get(campaign=campaign, organization=school_coordinator.organization)
    page = login(school_coordinator).get(report.get_absolute_url())
    assert "Напоминание о просроченном отчёте" in page.content.decode()


def test_operator_edits_roadmap(
    login: Any, operator: Any, tomsk_district_coordinator: Any, world: Any
) -> None:
    program = program_with_roadmap(world.tomsk)
    client = login(operator)
    data = {
        "program": program.pk,
        "number": "3.10",
        "title": "Форум наставников",
        "level_regional": "on",
    }
    response = client.post(reverse("roadmap:activity-create"), data)
    assert response.status_code == 302
    activity = program.activities.get(number="3.10")
    assert activity.sort_key > program.activities.get(number="3.2").sort_key
    bad = client.post(
        reverse("roadmap:activity-create"), {**data, "number": "3.11", "level_regional": ""}
    )
    assert "Укажите хотя бы один уровень исполнения мероприятия." in bad.content.decode()
    assert not program.activities.filter(number="3.11").exists()
    client = login(tomsk_district_coordinator)
    assert (
        client.post(reverse("roadmap:activity-update", args=[activity.pk]), data).status_code == 403
    )


def test_the_index_lists_my_reports_without_a_query_per_report(
    login: Any, operator: Any, tomsk_district_coordinator: Any, campaign: Any, world: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from profdev.common.tests.factories import OrganizationFactory

    def my_reports(user: Any) -> tuple[set[str], int]:
        client = login(user)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("roadmap:index"))
        return {str(r) for r in page.context["my_reports"]}, len(queries.captured_queries)

    # the operator fills the regional report and reviews the municipalities'; the district
    # coordinator fills its own and reviews its schools'
    campaign_reports = Report.objects.filter(campaign=campaign)
    mine, _queries = my_reports(operator)
    assert mine == {str(r) for r in campaign_reports.exclude(kind="organization")}
    reports, count = my_reports(tomsk_district_coordinator)
    assert reports == {str(r) for r in campaign_reports.filter(municipality=world.tomsk_district)}
    for n in range(6):  # more schools, more reports: the same queries
        school: Any = OrganizationFactory(municipality=world.tomsk_district, name=f"Школа {n}")
        Report.objects.create(
            campaign=campaign, kind="organization", organization=school,
            municipality=world.tomsk_district,
        )  # fmt: skip
    more, count_after = my_reports(tomsk_district_coordinator)
    assert len(more) == len(reports) + 6 and count_after == count
