"""Validation rules: the operator edits them on pages, submit applies them, reviewers see them."""

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from profdev.roadmap import services
from profdev.roadmap.models import Report, ValidationRule
from profdev.roadmap.tests.factories import program_with_roadmap

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(world: Any) -> Any:
    return program_with_roadmap(world.tomsk)


def rule_data(program: Any, **changes: Any) -> dict[str, Any]:
    return {
        "program": program.pk,
        "left": "mentors",
        "comparison": "le",
        "right": "teachers",
        "message": "Наставников не больше, чем педагогов",
        **changes,
    }


def test_operator_creates_rule_used_on_submit(
    login: Any, operator: Any, school_coordinator: Any, program: Any, world: Any
) -> None:
    client = login(operator)
    page = client.get(reverse("roadmap:rule-list") + f"?program={program.pk}").content.decode()
    assert "pairs ≤ teachers" in page and "Добавить" in page and "Изменить" in page
    response = client.post(reverse("roadmap:rule-create"), rule_data(program))
    assert response.status_code == 302
    rule = ValidationRule.objects.get(left="mentors")
    assert response["Location"] == rule.get_absolute_url()
    campaign = services.campaign_open(
        user=operator, program=program, year=2025, deadline=datetime.date(2026, 1, 20)
    )
    report = Report.objects.get(campaign=campaign, organization=world.school_a)
    for item in report.items.all():
        figures = {"mentors": 9, "teachers": 4} if item.activity.number == "3.1" else {}
        services.report_item_save(
            user=school_coordinator, item=item, status="done", figures=figures
        )
    with pytest.raises(ValidationError) as error:
        services.report_submit(user=school_coordinator, report=report)
    assert "Наставников не больше, чем педагогов (mentors = 9, teachers = 4)." in str(error.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"left": "пары"}, "«пары» — не имя показателя"),
        ({"right": "Teachers count"}, "«Teachers count» — не имя показателя"),
        ({"right": "mentors"}, "Сравнивать показатель с самим собой бессмысленно."),
        ({"message": ""}, "Обязательное поле."),
        ({"comparison": "ne"}, "Выберите корректный вариант."),
    ],
)
def test_bad_rule_definition_is_explained(
    login: Any, operator: Any, program: Any, changes: dict[str, str], message: str
) -> None:
    page = login(operator).post(reverse("roadmap:rule-create"), rule_data(program, **changes))
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not ValidationRule.objects.filter(left__in=["mentors", "пары"]).exists()


def test_operator_updates_and_deletes_with_confirmation(
    login: Any, operator: Any, program: Any
) -> None:
    rule = program.rules.get()
    client = login(operator)
    url = reverse("roadmap:rule-update", args=[rule.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, rule_data(program, left="pairs", comparison="lt"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.left, rule.comparison, rule.right) == ("pairs", "lt", "teachers")
    bad = client.post(url, rule_data(program, left="pairs", right="pairs"))
    assert "Сравнивать показатель с самим собой" in bad.content.decode()
    rule.refresh_from_db()
    assert rule.right == "teachers"
    delete_url = reverse("roadmap:rule-delete", args=[rule.pk])
    confirm = client.get(delete_url).content.decode()
    assert "Удалить запись?" in confirm and "pairs &lt; teachers" in confirm
    assert ValidationRule.objects.filter(pk=rule.pk).exists()  # nothing deleted by looking
    page = client.post(delete_url, follow=True).content.decode()
    assert "Правило «pairs &lt; teachers» удалено." in page
    assert not ValidationRule.objects.filter(pk=rule.pk).exists()


def test_export_lists_rules_without_action_links(login: Any, operator: Any, program: Any) -> None:
    response = login(operator).get(reverse("roadmap:rule-list") + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Программа", "Условие", "Сообщение")
    assert rows[1][1:] == ("pairs ≤ teachers", program.rules.get().message)


def test_reviewers_read_rules_but_cannot_change_them(
    login: Any,
    tomsk_district_coordinator: Any,
    other_region_operator: Any,
    program: Any,
    operator: Any,
) -> None:
    rule = program.rules.get()
    client = login(tomsk_district_coordinator)
    page = client.get(reverse("roadmap:rule-list")).content.decode()
    assert "pairs ≤ teachers" in page
    assert reverse("roadmap:rule-update", args=[rule.pk]) not in page
    assert client.get(reverse("roadmap:rule-create")).status_code == 403
    assert client.post(reverse("roadmap:rule-create"), rule_data(program)).status_code == 403
    update = reverse("roadmap:rule-update", args=[rule.pk])
    assert client.post(update, rule_data(program)).status_code == 403
    assert client.post(reverse("roadmap:rule-delete", args=[rule.pk])).status_code == 403
    client = login(other_region_operator)
    assert client.post(update, rule_data(program)).status_code == 404
    assert client.post(reverse("roadmap:rule-delete", args=[rule.pk])).status_code == 404
    # another region's operator cannot attach a rule to this program either
    page = client.post(reverse("roadmap:rule-create"), rule_data(program))
    assert page.status_code == 200 and "Выберите корректный вариант" in page.content.decode()
    assert ValidationRule.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.validation_rule_delete(user=tomsk_district_coordinator, rule=rule)


def test_reviewer_sees_rule_checks_on_the_report(
    login: Any,
    operator: Any,
    school_coordinator: Any,
    tomsk_district_coordinator: Any,
    program: Any,
    world: Any,
) -> None:
    ValidationRule.objects.create(
        program=program, left="trained", right="enrolled", message="Обученных не больше"
    )
    campaign = services.campaign_open(
        user=operator, program=program, year=2025, deadline=datetime.date(2026, 1, 20)
    )
    report = Report.objects.get(campaign=campaign, organization=world.school_a)
    for item in report.items.all():
        services.report_item_save(
            user=school_coordinator, item=item, status="done", figures={"pairs": 2, "teachers": 15}
        )
    services.report_submit(user=school_coordinator, report=report)
    page = login(tomsk_district_coordinator).get(report.get_absolute_url()).content.decode()
    assert "Правила проверки показателей" in page
    assert "pairs = 4, teachers = 30" in page and "выполнено" in page  # summed over 2 items
    assert "Обученных не больше" in page and "нет данных" in page
    own = login(school_coordinator).get(report.get_absolute_url()).content.decode()
    assert "Правила проверки показателей" not in own


def test_reviewer_sees_outliers_against_the_registry(
    login: Any,
    operator: Any,
    school_coordinator: Any,
    tomsk_district_coordinator: Any,
    program: Any,
    world: Any,
) -> None:
    campaign = services.campaign_open(
        user=operator, program=program, year=2025, deadline=datetime.date(2026, 1, 20)
    )
    report = Report.objects.get(campaign=campaign, organization=world.school_a)
    for item in report.items.all():
        figures = {"pairs": 5, "teachers": 20} if item.activity.number == "3.2" else {}
        services.report_item_save(
            user=school_coordinator, item=item, status="done", figures=figures
        )
    services.report_submit(user=school_coordinator, report=report)
    page = login(tomsk_district_coordinator).get(report.get_absolute_url()).content.decode()
    # school A has one teacher in the registry (Алексеева, employed since 2015)
    assert "Расхождения с реестром" in page
    assert "Педагогов в отчёте 20, в реестре на конец периода 1." in page
    assert "Наставнических пар в отчёте 5 — больше, чем педагогов в реестре (1)." in page
