"""The issue's bad inputs through the pages: a clear message, and nothing the user had is lost."""

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from profdev.common.files import file_url
from profdev.roadmap import services
from profdev.roadmap.models import Report, ReportItem
from profdev.roadmap.tests.factories import program_with_roadmap

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world: Any, operator: Any) -> Any:
    program = program_with_roadmap(world.tomsk)
    return services.campaign_open(
        user=operator, program=program, year=2025, deadline=datetime.date(2026, 1, 20)
    )


@pytest.fixture
def report(campaign: Any, world: Any) -> Report:
    return Report.objects.get(campaign=campaign, organization=world.school_a)


def submitted(report: Report, author: Any) -> Report:
    for item in report.items.all():
        services.report_item_save(user=author, item=item, status="done", description="Сделано")
    services.report_submit(user=author, report=report)
    return report


def item_post(item: ReportItem, **values: Any) -> dict[str, Any]:
    return {f"item{item.pk}-{key}": value for key, value in values.items()}


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("virus.exe", 10, "Файл «virus.exe» не является документом"),
        ("scan.pdf", 1024 * 1024 + 1, "не более 1.0 МБ"),
    ],
)
def test_bad_evidence_file_keeps_the_typed_input(
    login: Any,
    school_coordinator: Any,
    report: Report,
    settings: Any,
    name: str,
    size: int,
    message: str,
) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    item = report.items.get(activity__number="3.1")
    services.report_item_save(user=school_coordinator, item=item, status="partly")
    data = item_post(
        item,
        status="done",
        description="Положение утверждено приказом № 12",
        evidence_file=SimpleUploadedFile(
            name, (b"%PDF-1.4 " if name.endswith(".pdf") else b"") + b"x" * size
        ),
    )
    page = login(school_coordinator).post(reverse("roadmap:item-save", args=[item.pk]), data)
    assert page.status_code == 200
    body = page.content.decode()
    assert message in body and 'class="invalid-feedback d-block"' in body
    assert "Мероприятие 3.1 не сохранено: исправьте отмеченные поля." in body
    assert "Положение утверждено приказом № 12" in body  # the form keeps what was typed
    item.refresh_from_db()
    assert item.status == "partly" and item.description == "" and not item.evidence_file


def test_bad_figures_keep_the_typed_input(
    login: Any, school_coordinator: Any, report: Report
) -> None:
    item = report.items.get(activity__number="3.2")
    data = item_post(item, status="done", description="Пары созданы", figures="pairs=много")
    body = (
        login(school_coordinator)
        .post(reverse("roadmap:item-save", args=[item.pk]), data)
        .content.decode()
    )
    assert "Показатель «pairs» должен быть числом." in body and "Пары созданы" in body
    item.refresh_from_db()
    assert item.status == "" and item.figures == {}


def test_submit_with_required_activity_empty_through_the_page(
    login: Any, school_coordinator: Any, report: Report
) -> None:
    body = (
        login(school_coordinator)
        .post(reverse("roadmap:report-action", args=[report.pk, "submit"]), follow=True)
        .content.decode()
    )
    assert "Не заполнены обязательные мероприятия: 3.1." in body
    assert Report.objects.get(pk=report.pk).status == "draft"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("submitted", "Отчёт отправлен на проверку и недоступен для редактирования."),
        ("accepted", "Отчёт принят и недоступен для редактирования."),
        ("closed", "Кампания мониторинга закрыта: отчёт нельзя изменить."),
    ],
)
def test_editing_a_locked_report_says_why(
    login: Any,
    operator: Any,
    school_coordinator: Any,
    tomsk_district_coordinator: Any,
    report: Report,
    campaign: Any,
    setup: str,
    message: str,
) -> None:
    submitted(report, school_coordinator)
    if setup == "accepted":
        services.report_accept(user=tomsk_district_coordinator, report=report)
    if setup == "closed":
        services.campaign_close(user=operator, campaign=campaign)
    client = login(school_coordinator)
    assert message in client.get(report.get_absolute_url()).content.decode()
    item = report.items.get(activity__number="3.1")
    body = client.post(
        reverse("roadmap:item-save", args=[item.pk]),
        item_post(item, status="not_done", description="Стёрто"),
        follow=True,
    ).content.decode()
    assert message in body
    item.refresh_from_db()
    assert (item.status, item.description) == ("done", "Сделано")


def test_reviewer_outside_scope_through_the_page(
    login: Any,
    operator: Any,
    school_coordinator: Any,
    asino_coordinator: Any,
    report: Report,
) -> None:
    submitted(report, school_coordinator)
    url = reverse("roadmap:report-action", args=[report.pk, "accept"])
    assert login(asino_coordinator).post(url).status_code == 404
    # the operator sees the school's report, but its municipality reviews it
    body = login(operator).post(url, follow=True).content.decode()
    assert "Отчёт школы проверяет координатор её муниципалитета." in body
    assert Report.objects.get(pk=report.pk).status == "submitted"


def test_reopen_accepted_without_operator_role_through_the_page(
    login: Any,
    operator: Any,
    school_coordinator: Any,
    tomsk_district_coordinator: Any,
    report: Report,
) -> None:
    submitted(report, school_coordinator)
    services.report_accept(user=tomsk_district_coordinator, report=report)
    url = reverse("roadmap:report-action", args=[report.pk, "reopen"])
    for user in (tomsk_district_coordinator, school_coordinator):
        body = login(user).post(url, {"comment": "Ошибка"}, follow=True).content.decode()
        assert "Открыть принятый отчёт заново может только региональный оператор." in body
        assert Report.objects.get(pk=report.pk).status == "accepted"
    body = login(operator).post(url, {"comment": ""}, follow=True).content.decode()
    assert "Укажите причину, по которой отчёт открывается заново." in body
    body = login(operator).post(url, {"comment": "Ошибка в цифрах"}, follow=True).content.decode()
    assert "Отчёт открыт для доработки." in body
    assert Report.objects.get(pk=report.pk).status == "returned"
    assert report.items.filter(status="done").count() == 2  # the content survives the reopen


def test_evidence_file_is_served_only_within_scope(
    login: Any,
    school_coordinator: Any,
    tomsk_district_coordinator: Any,
    asino_coordinator: Any,
    report: Report,
) -> None:
    item = report.items.get(activity__number="3.1")
    services.report_item_save(
        user=school_coordinator,
        item=item,
        status="done",
        evidence_file=SimpleUploadedFile("prikaz.pdf", b"%PDF-1.4 test"),
    )
    url = file_url(item, "evidence_file")
    assert url in login(school_coordinator).get(report.get_absolute_url()).content.decode()
    response = login(tomsk_district_coordinator).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert login(asino_coordinator).get(url).status_code == 404
    empty = report.items.get(activity__number="3.2")
    assert login(school_coordinator).get(file_url(empty, "evidence_file")).status_code == 404
