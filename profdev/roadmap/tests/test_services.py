"""The monitoring workflow and its bad inputs."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from profdev.roadmap import services
from profdev.roadmap.choices import ParticipantKind, ReportStatus
from profdev.roadmap.models import Campaign, Report, ReportItem, ReportTransition
from profdev.roadmap.tests.factories import program_with_roadmap

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(world: Any) -> Any:
    return program_with_roadmap(world.tomsk)


@pytest.fixture
def campaign(program: Any, operator: Any) -> Campaign:
    return services.campaign_open(
        user=operator, program=program, year=2025, deadline=datetime.date(2026, 1, 20)
    )


def school_report(campaign: Campaign, school: Any) -> Report:
    return Report.objects.get(campaign=campaign, organization=school)


def municipal_report(campaign: Campaign, municipality: Any) -> Report:
    return Report.objects.get(campaign=campaign, kind="municipality", municipality=municipality)


def fill(user: Any, report: Report, **figures: Any) -> None:
    for item in report.items.all():
        services.report_item_save(
            user=user, item=item, status="done", description="Сделано", figures=figures
        )
        figures = {}


def test_open_creates_reports_for_every_participant(campaign: Campaign, world: Any) -> None:
    kinds = list(campaign.reports.values_list("kind", flat=True))
    # three Tomsk schools (A, B, C), three Tomsk municipalities, one regional report
    assert kinds.count(ParticipantKind.ORGANIZATION) == 3
    assert kinds.count(ParticipantKind.MUNICIPALITY) == 3
    assert kinds.count(ParticipantKind.REGION) == 1
    assert not campaign.reports.filter(organization=world.school_d).exists()
    assert not campaign.reports.filter(organization=world.center).exists()
    assert school_report(campaign, world.school_a).items.count() == 2
    assert municipal_report(campaign, world.asino).items.get().activity.number == "2.1"
    assert campaign.period_start == datetime.date(2025, 1, 1)


def test_half_year_period(program: Any, operator: Any) -> None:
    campaign = services.campaign_open(
        user=operator, program=program, year=2026, half=2, deadline=datetime.date(2027, 1, 15)
    )
    assert campaign.period_start == datetime.date(2026, 7, 1)
    assert "II полугодие" in campaign.title


def test_deadline_before_period_start_is_refused(program: Any, operator: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.campaign_open(
            user=operator, program=program, year=2025, deadline=datetime.date(2024, 12, 31)
        )
    assert "раньше начала отчётного периода" in str(error.value)
    assert not Campaign.objects.exists()
    assert not Report.objects.exists()


def test_only_operator_opens_campaign(program: Any, tomsk_district_coordinator: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.campaign_open(
            user=tomsk_district_coordinator,
            program=program,
            year=2025,
            deadline=datetime.date(2026, 1, 20),
        )


def test_workflow_end_to_end(
    campaign: Campaign,
    world: Any,
    operator: Any,
    tomsk_district_coordinator: Any,
    school_coordinator: Any,
) -> None:
    from profdev.common.tests.factories import UserFactory

    school_b_user: Any = UserFactory(
        username="school_b", role="school", region=world.tomsk, organization=world.school_b
    )
    report_a = school_report(campaign, world.school_a)
    report_b = school_report(campaign, world.school_b)
    fill(school_coordinator, report_a, pairs=3, teachers=20)
    fill(school_b_user, report_b)
    services.report_submit(user=school_coordinator, report=report_a)
    services.report_submit(user=school_b_user, report=report_b)

    mun = municipal_report(campaign, world.tomsk_district)
    fill(tomsk_district_coordinator, mun)
    with pytest.raises(ValidationError) as error:
        services.report_submit(user=tomsk_district_coordinator, report=mun)
    assert "Не приняты отчёты школ" in str(error.value)

    services.report_accept(user=tomsk_district_coordinator, report=report_a)
    services.report_return(
        user=tomsk_district_coordinator, report=report_b, comment="Приложите положение"
    )
    report_b.refresh_from_db()
    assert report_b.status == ReportStatus.RETURNED
    assert report_b.review_comment == "Приложите положение"
    fill(school_b_user, report_b)
    services.report_submit(user=school_b_user, report=report_b)
    services.report_accept(user=tomsk_district_coordinator, report=report_b)

    services.report_submit(user=tomsk_district_coordinator, report=mun)
    services.report_accept(user=operator, report=mun, comment="Принято")
    mun.refresh_from_db()
    assert mun.status == ReportStatus.ACCEPTED
    steps = list(ReportTransition.objects.filter(report=report_b).values_list("to_status", "user"))
    assert steps == [
        ("submitted", school_b_user.pk),
        ("returned", tomsk_district_coordinator.pk),
        ("submitted", school_b_user.pk),
        ("accepted", tomsk_district_coordinator.pk),
    ]
    assert mun.history.count() >= 3


def test_waiver_lets_municipality_submit(
    campaign: Campaign, world: Any, operator: Any, asino_coordinator: Any
) -> None:
    mun = municipal_report(campaign, world.asino)
    fill(asino_coordinator, mun)
    with pytest.raises(ValidationError):
        services.report_submit(user=asino_coordinator, report=mun)
    with pytest.raises(PermissionDenied):
        services.waiver_create(
            user=asino_coordinator, campaign=campaign, organization=world.school_c, reason="x"
        )
    services.waiver_create(
        user=operator, campaign=campaign, organization=world.school_c, reason="Реорганизация"
    )
    services.report_submit(user=asino_coordinator, report=mun)
    assert Report.objects.get(pk=mun.pk).status == ReportStatus.SUBMITTED


def test_submit_with_required_activity_empty(
    campaign: Campaign, world: Any, school_coordinator: Any
) -> None:
    report = school_report(campaign, world.school_a)
    with pytest.raises(ValidationError) as error:
        services.report_submit(user=school_coordinator, report=report)
    assert "Не заполнены обязательные мероприятия: 3.1." in str(error.value)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert not ReportTransition.objects.exists()


def test_validation_rule_on_figures(
    campaign: Campaign, world: Any, school_coordinator: Any
) -> None:
    report = school_report(campaign, world.school_a)
    fill(school_coordinator, report, pairs=30, teachers=20)
    with pytest.raises(ValidationError) as error:
        services.report_submit(user=school_coordinator, report=report)
    assert (
        "Число наставнических пар не может превышать число педагогов (pairs = 30, teachers = 20)"
        in str(error.value)
    )


def test_bad_figure_is_refused(campaign: Campaign, world: Any, school_coordinator: Any) -> None:
    item = school_report(campaign, world.school_a).items.first()
    with pytest.raises(ValidationError) as error:
        services.report_item_save(
            user=school_coordinator, item=item, status="done", figures={"pairs": "много"}
        )
    assert "должен быть числом" in str(error.value)
    item.refresh_from_db()
    assert item.status == ""


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("submitted", "Отчёт отправлен на проверку и недоступен для редактирования."),
        ("accepted", "Отчёт принят и недоступен для редактирования."),
    ],
)
def test_editing_locked_report(
    campaign: Campaign, world: Any, school_coordinator: Any, status: str, message: str
) -> None:
    report = school_report(campaign, world.school_a)
    fill(school_coordinator, report)
    Report.objects.filter(pk=report.pk).update(status=status)
    item = report.items.first()
    with pytest.raises(ValidationError) as error:
        services.report_item_save(user=school_coordinator, item=item, status="partly")
    assert error.value.messages == [message]
    item.refresh_from_db()
    assert item.status == "done"


def test_editing_when_campaign_closed(
    campaign: Campaign, world: Any, operator: Any, school_coordinator: Any
) -> None:
    services.campaign_close(user=operator, campaign=campaign)
    item = school_report(campaign, world.school_a).items.first()
    with pytest.raises(ValidationError) as error:
        services.report_item_save(user=school_coordinator, item=item, status="done")
    assert error.value.messages == ["Кампания мониторинга закрыта: отчёт нельзя изменить."]


def test_other_school_cannot_edit(campaign: Campaign, world: Any, school_coordinator: Any) -> None:
    item = school_report(campaign, world.school_b).items.first()
    with pytest.raises(PermissionDenied):
        services.report_item_save(user=school_coordinator, item=item, status="done")


def test_reviewer_outside_scope(
    campaign: Campaign,
    world: Any,
    school_coordinator: Any,
    asino_coordinator: Any,
    other_region_operator: Any,
    operator: Any,
) -> None:
    report = school_report(campaign, world.school_a)
    fill(school_coordinator, report)
    services.report_submit(user=school_coordinator, report=report)
    for outsider in (asino_coordinator, other_region_operator, school_coordinator):
        with pytest.raises(PermissionDenied):
            services.report_accept(user=outsider, report=report)
    # the operator sees it but school reports are reviewed by the municipality
    with pytest.raises(PermissionDenied) as error:
        services.report_accept(user=operator, report=report)
    assert "координатор её муниципалитета" in str(error.value)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_return_needs_comment(
    campaign: Campaign, world: Any, school_coordinator: Any, tomsk_district_coordinator: Any
) -> None:
    report = school_report(campaign, world.school_a)
    fill(school_coordinator, report)
    services.report_submit(user=school_coordinator, report=report)
    with pytest.raises(ValidationError):
        services.report_return(user=tomsk_district_coordinator, report=report, comment="  ")


def test_reopen_accepted_only_by_operator(
    campaign: Campaign,
    world: Any,
    school_coordinator: Any,
    tomsk_district_coordinator: Any,
    operator: Any,
) -> None:
    report = school_report(campaign, world.school_a)
    fill(school_coordinator, report)
    services.report_submit(user=school_coordinator, report=report)
    services.report_accept(user=tomsk_district_coordinator, report=report)
    with pytest.raises(PermissionDenied) as error:
        services.report_reopen(user=tomsk_district_coordinator, report=report, comment="Ошибка")
    assert "только региональный оператор" in str(error.value)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
    services.report_reopen(user=operator, report=report, comment="Ошибка в цифрах")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.RETURNED


def test_second_accept_is_refused(
    campaign: Campaign, world: Any, school_coordinator: Any, tomsk_district_coordinator: Any
) -> None:
    report = school_report(campaign, world.school_a)
    fill(school_coordinator, report)
    services.report_submit(user=school_coordinator, report=report)
    stale = Report.objects.get(pk=report.pk)
    services.report_accept(user=tomsk_district_coordinator, report=report)
    with pytest.raises(ValidationError) as error:
        services.report_return(user=tomsk_district_coordinator, report=stale, comment="Нет")
    assert "уже изменён" in str(error.value)
    assert ReportTransition.objects.filter(report=report, to_status="accepted").count() == 1
    assert not ReportTransition.objects.filter(report=report, to_status="returned").exists()


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("virus.exe", 10, "не является документом"),
        ("big.pdf", 11 * 1024 * 1024, "не более 10.0 МБ"),
    ],
)
@override_settings(EVIDENCE_MAX_BYTES=10 * 1024 * 1024)
def test_bad_evidence_file(
    campaign: Campaign, world: Any, school_coordinator: Any, name: str, size: int, message: str
) -> None:
    item = school_report(campaign, world.school_a).items.first()
    upload = SimpleUploadedFile(name, b"x" * size)
    with pytest.raises(ValidationError) as error:
        services.report_item_save(
            user=school_coordinator, item=item, status="done", evidence_file=upload
        )
    assert message in str(error.value)
    item.refresh_from_db()
    assert item.status == "" and not item.evidence_file


def test_reminders_to_late(
    campaign: Campaign, world: Any, operator: Any, school_coordinator: Any
) -> None:
    school_coordinator.email = "school_a@example.org"
    school_coordinator.save()
    assert (
        services.reminders_send(user=operator, campaign=campaign, today=datetime.date(2026, 1, 10))
        == 0
    )
    sent = services.reminders_send(
        user=operator, campaign=campaign, today=datetime.date(2026, 2, 1)
    )
    assert sent == 7
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["school_a@example.org"]
    assert school_report(campaign, world.school_a).reminders.count() == 1
    assert ReportItem.objects.count() == 3 * 2 + 3 + 1
