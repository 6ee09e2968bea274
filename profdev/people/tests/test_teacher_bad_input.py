"""Bad input on the people registries: a clear Russian message and nothing saved."""

import datetime

import pytest
from django.urls import reverse

from profdev.people.models import Employment, Teacher


def _teacher_form(world, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "last_name": "Новикова",
        "first_name": "Ольга",
        "middle_name": "Петровна",
        "snils": "112-233-445 95",
        "qualification_category": "first",
        "career_start": "2024-09-01",
        "organization": world.school_a.pk,
        "position": "teacher",
        "employment_kind": "main",
        "start_date": "2024-09-01",
    }
    data.update(overrides)
    return data


def test_school_coordinator_adds_teacher_with_snils_in_any_form(
    world, school_coordinator, login
) -> None:  # type: ignore[no-untyped-def]
    client = login(school_coordinator)
    response = client.post(
        reverse("people:teacher-create"), _teacher_form(world, snils="112 233 445 95")
    )
    assert response.status_code == 302
    teacher = Teacher.objects.get(snils="11223344595")
    assert teacher.employments.get().organization == world.school_a
    assert (
        teacher.history.count() == 1 and teacher.history.first().history_user == school_coordinator
    )


@pytest.mark.parametrize(
    ("snils", "message"),
    [
        ("123-456-789 00", "Неверная контрольная сумма СНИЛС"),
        ("123-456-789", "11 цифр"),
        ("12А-456-789 00", "только из цифр"),
    ],
)
def test_bad_snils_is_refused_and_form_keeps_input(
    world, school_coordinator, login, snils, message
) -> None:  # type: ignore[no-untyped-def]
    client = login(school_coordinator)
    before = Teacher.objects.count()
    response = client.post(reverse("people:teacher-create"), _teacher_form(world, snils=snils))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Новикова" in page  # what was typed stays in the form
    assert Teacher.objects.count() == before


def test_duplicate_snils_is_refused(world, school_coordinator, login) -> None:  # type: ignore[no-untyped-def]
    client = login(school_coordinator)
    response = client.post(
        reverse("people:teacher-create"), _teacher_form(world, snils=world.teacher_c.snils)
    )
    assert "Педагог с таким СНИЛС уже есть в реестре." in response.content.decode()
    assert Teacher.objects.filter(snils=world.teacher_c.snils).count() == 1


def test_school_coordinator_cannot_place_teacher_in_another_school(
    world, school_coordinator, login
) -> None:  # type: ignore[no-untyped-def]
    client = login(school_coordinator)
    before = Teacher.objects.count()
    response = client.post(
        reverse("people:teacher-create"), _teacher_form(world, organization=world.school_b.pk)
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert Teacher.objects.count() == before


def test_employment_ending_before_start_is_refused_in_page_and_api(
    world, tomsk_district_coordinator, login
) -> None:  # type: ignore[no-untyped-def]
    client = login(tomsk_district_coordinator)
    before = Employment.objects.count()
    response = client.post(
        reverse("people:employment-create", args=[world.teacher_a.pk]),
        {
            "organization": world.school_b.pk,
            "position": "teacher",
            "kind": "part_time",
            "start_date": "2024-09-01",
            "end_date": "2024-01-01",
        },
    )
    assert "Дата окончания работы не может быть раньше даты начала." in response.content.decode()
    api = client.post(
        "/api/v1/employments/",
        {
            "teacher": world.teacher_a.pk,
            "organization": world.school_b.pk,
            "position": "teacher",
            "start_date": "2024-09-01",
            "end_date": "2024-01-01",
        },
        content_type="application/json",
    )
    assert api.status_code == 400 and "end_date" in api.json()
    assert Employment.objects.count() == before


def test_coordinator_cannot_edit_teacher_outside_scope(
    world, tomsk_district_coordinator, login
) -> None:  # type: ignore[no-untyped-def]
    client = login(tomsk_district_coordinator)
    url = reverse("people:teacher-update", args=[world.teacher_c.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url,
        {
            "last_name": "Взломанная",
            "first_name": "X",
            "snils": world.teacher_c.snils,
            "qualification_category": "none",
        },
    )
    assert response.status_code == 404
    api = client.patch(
        f"/api/v1/teachers/{world.teacher_c.pk}/",
        {"last_name": "Взломанная"},
        content_type="application/json",
    )
    assert api.status_code == 404
    world.teacher_c.refresh_from_db()
    assert world.teacher_c.last_name == "Васильева"


def test_official_cannot_write_anything(world, official, login) -> None:  # type: ignore[no-untyped-def]
    client = login(official)
    assert (
        client.get(reverse("people:teacher-update", args=[world.teacher_a.pk])).status_code == 403
    )
    assert client.get(reverse("people:teacher-create")).status_code == 403
    api = client.patch(
        f"/api/v1/teachers/{world.teacher_a.pk}/",
        {"last_name": "Z"},
        content_type="application/json",
    )
    assert api.status_code in (403, 404)
    world.teacher_a.refresh_from_db()
    assert world.teacher_a.last_name == "Алексеева"


def test_api_create_teacher_needs_employment_and_valid_snils(
    world, school_coordinator, login
) -> None:  # type: ignore[no-untyped-def]
    client = login(school_coordinator)
    bad = client.post(
        "/api/v1/teachers/",
        {"last_name": "А", "first_name": "Б", "snils": "123-456-789 00"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    body = bad.json()
    assert "контрольная сумма" in body["snils"][0]
    no_job = client.post(
        "/api/v1/teachers/",
        {"last_name": "А", "first_name": "Б", "snils": "112-233-445 95"},
        content_type="application/json",
    )
    assert no_job.status_code == 400 and "organization" in no_job.json()
    good = client.post(
        "/api/v1/teachers/",
        {
            "last_name": "Петрова",
            "first_name": "Анна",
            "snils": "112-233-445 95",
            "organization": world.school_a.pk,
            "start_date": "2025-09-01",
        },
        content_type="application/json",
    )
    assert good.status_code == 201, good.json()
    assert good.json()["snils_masked"] == "***-***-*** 95" and "snils" not in good.json()
    outside = client.post(
        "/api/v1/teachers/",
        {
            "last_name": "Петрова",
            "first_name": "Анна",
            "snils": "087-654-303 00",
            "organization": world.school_c.pk,
            "start_date": "2025-09-01",
        },
        content_type="application/json",
    )
    assert outside.status_code == 400 and "organization" in outside.json()
    assert not Teacher.objects.filter(snils="08765430300").exists()


def test_snils_masked_in_list_full_on_detail_for_allowed_only(
    world, school_coordinator, methodist, login
) -> None:  # type: ignore[no-untyped-def]
    from profdev.accounts.models import PersonalDataAccess
    from profdev.common.identifiers import format_snils

    full = format_snils(world.teacher_a.snils)
    client = login(school_coordinator)
    listing = client.get(reverse("people:teacher-list")).content.decode()
    assert full not in listing and f"***-***-*** {world.teacher_a.snils[-2:]}" in listing
    detail = client.get(
        reverse("people:teacher-detail", args=[world.teacher_a.pk])
    ).content.decode()
    assert full in detail
    assert (
        PersonalDataAccess.objects.filter(user=school_coordinator, teacher=world.teacher_a).count()
        == 1
    )
    client.logout()
    client = login(methodist)
    assert (
        full
        not in client.get(
            reverse("people:teacher-detail", args=[world.teacher_a.pk])
        ).content.decode()
    )


def test_young_specialist_is_derived(world) -> None:  # type: ignore[no-untyped-def]
    teacher = world.teacher_a
    teacher.career_start = datetime.date.today() - datetime.timedelta(days=365)
    assert teacher.is_young_specialist
    teacher.career_start = datetime.date.today() - datetime.timedelta(days=4 * 365)
    assert not teacher.is_young_specialist
