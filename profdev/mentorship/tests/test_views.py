import datetime
from typing import Any

import pytest
from django.utils import timezone

from profdev.common.tests.factories import teacher_at
from profdev.mentorship.models import MentorPair, TargetModel
from profdev.mentorship.tests.factories import (
    ManagementMentoringFactory,
    MentorPairFactory,
    TargetModelFactory,
    form,
)

pytestmark = pytest.mark.django_db


def test_index_and_exports(world: Any, login: Any, school_coordinator: Any) -> None:
    young = teacher_at(
        world.school_a, career_start=timezone.localdate() - datetime.timedelta(days=30)
    )
    client = login(school_coordinator)
    page = client.get("/mentorship/")
    assert page.status_code == 200
    assert young.full_name in page.content.decode()
    for name in ("young", "mentors", "ending", "attention"):
        response = client.get("/mentorship/", {"export": name})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_school_page_explains_rule(
    world: Any, login: Any, school_coordinator: Any, asino_coordinator: Any
) -> None:
    TargetModelFactory(organization=world.school_a, curator=None)
    page = login(school_coordinator).get(
        f"/mentorship/schools/{world.school_a.pk}/", {"year": 2022}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "не реализует" in text and "Назначен куратор" in text and "отсутствует" in text
    assert (
        login(asino_coordinator).get(f"/mentorship/schools/{world.school_a.pk}/").status_code == 404
    )


def test_school_coordinator_records_target_model(
    world: Any, login: Any, school_coordinator: Any
) -> None:
    client = login(school_coordinator)
    response = client.post(
        f"/mentorship/schools/{world.school_a.pk}/edit/",
        {
            "local_act_number": "7-ОД",
            "local_act_date": "2024-02-01",
            "curator": world.teacher_a.pk,
            "program_title": "Программа",
        },
    )
    assert response.status_code == 302
    assert TargetModel.objects.get().curator == world.teacher_a
    assert client.get(f"/mentorship/schools/{world.school_b.pk}/edit/").status_code == 404


def test_pair_a_young_specialist_via_matching(
    world: Any, login: Any, school_coordinator: Any
) -> None:
    mentee = teacher_at(
        world.school_a, career_start=timezone.localdate() - datetime.timedelta(days=30)
    )
    client = login(school_coordinator)
    page = client.get(f"/mentorship/match/{mentee.pk}/")
    assert page.status_code == 200
    assert world.teacher_a.full_name in page.content.decode()
    today = timezone.localdate()
    response = client.post(
        f"/mentorship/match/{mentee.pk}/",
        {
            "mentor": world.teacher_a.pk,
            "form": form().pk,
            "start_date": today.isoformat(),
            "planned_end": (today + datetime.timedelta(days=200)).isoformat(),
        },
    )
    assert response.status_code == 302
    pair = MentorPair.objects.get()
    assert list(pair.mentees.all()) == [mentee]
    assert client.get(f"/mentorship/match/{world.teacher_c.pk}/").status_code == 404


def test_pair_create_form_bad_input(world: Any, login: Any, school_coordinator: Any) -> None:
    response = login(school_coordinator).post(
        "/mentorship/pairs/new/",
        {
            "organization": world.school_a.pk,
            "mentor": world.teacher_a.pk,
            "mentees": [world.teacher_a.pk],
            "form": form().pk,
            "start_date": "2025-09-01",
            "planned_end": "2026-05-01",
        },
    )
    assert response.status_code == 200
    assert "своим наставляемым" in response.content.decode()
    assert MentorPair.objects.count() == 0


def test_pair_pages_scope_and_check_in(
    world: Any, login: Any, teacher_user: Any, asino_coordinator: Any, school_coordinator: Any
) -> None:
    pair: Any = MentorPairFactory(
        organization=world.school_a, mentor=world.teacher_a, mentees=[teacher_at(world.school_a)]
    )
    assert login(asino_coordinator).get(f"/mentorship/pairs/{pair.pk}/").status_code == 404
    assert login(school_coordinator).get("/mentorship/pairs/").status_code == 200
    assert (
        login(school_coordinator).get("/mentorship/pairs/", {"export": "xlsx"}).status_code == 200
    )
    client = login(teacher_user)
    assert client.get(f"/mentorship/pairs/{pair.pk}/").status_code == 200
    response = client.post(
        f"/mentorship/pairs/{pair.pk}/", {"date": "2021-10-10", "topic": "Открытый урок"}
    )
    assert response.status_code == 302
    assert pair.check_ins.count() == 1
    teacher_page = login(school_coordinator).get(world.teacher_a.get_absolute_url())
    assert "Наставничество" in teacher_page.content.decode()


def test_management_pages(world: Any, login: Any, operator: Any, asino_coordinator: Any) -> None:
    world.school_b.low_results = True
    world.school_b.save()
    link: Any = ManagementMentoringFactory(
        mentor_organization=world.school_a, mentee_organization=world.school_b
    )
    client = login(operator)
    assert client.get("/mentorship/management/").status_code == 200
    assert "ШНОР" in client.get(f"/mentorship/management/{link.pk}/").content.decode()
    assert login(asino_coordinator).get(f"/mentorship/management/{link.pk}/").status_code == 404
    response = client.post(
        "/mentorship/management/new/",
        {
            "mentor_organization": world.school_c.pk,
            "mentee_organization": world.school_c.pk,
            "start_date": "2024-01-01",
            "status": "active",
        },
    )
    assert response.status_code == 200 and "самой себе" in response.content.decode()


def _xlsx_rows(response: Any) -> list[list[Any]]:
    import io

    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_index(0).to_python()


def test_exports_respect_scope(
    world: Any, login: Any, asino_coordinator: Any, school_coordinator: Any
) -> None:
    MentorPairFactory(
        organization=world.school_a,
        mentor=world.teacher_a,
        mentees=[teacher_at(world.school_a, last_name="Скрытая")],
    )
    mine = _xlsx_rows(login(school_coordinator).get("/mentorship/pairs/", {"export": "xlsx"}))
    assert any("Скрытая" in str(cell) for row in mine for cell in row)
    theirs = _xlsx_rows(login(asino_coordinator).get("/mentorship/pairs/", {"export": "xlsx"}))
    assert not any("Скрытая" in str(cell) for row in theirs for cell in row)
    mentors = _xlsx_rows(login(asino_coordinator).get("/mentorship/", {"export": "mentors"}))
    assert len(mentors) == 1  # header only


def test_a_teacher_sees_no_links_to_pages_they_cannot_open(
    world: Any, login: Any, teacher_user: Any, school_coordinator: Any
) -> None:
    """A teacher's own page and pair name the school and the colleagues; the names are links
    only for those who may open them (found by bench/pages_crawl.py: links to 404s)."""
    mentee = teacher_at(world.school_a, last_name="Подопечная")
    pair: Any = MentorPairFactory(
        organization=world.school_a, mentor=world.teacher_a, mentees=[mentee]
    )
    linked = {
        "school page": f'href="/orgs/organizations/{world.school_a.pk}/"',
        "school mentorship": f'href="/mentorship/schools/{world.school_a.pk}/"',
        "colleague": f'href="{mentee.get_absolute_url()}"',
    }

    client = login(teacher_user)
    pages = "".join(
        client.get(url).content.decode()
        for url in (world.teacher_a.get_absolute_url(), f"/mentorship/pairs/{pair.pk}/")
    )
    assert world.school_a.name in pages and mentee.full_name in pages
    assert [what for what, link in linked.items() if link in pages] == []
    for link in linked.values():
        assert client.get(link[6:-1]).status_code == 404

    client = login(school_coordinator)
    pages = "".join(
        client.get(url).content.decode()
        for url in (world.teacher_a.get_absolute_url(), f"/mentorship/pairs/{pair.pk}/")
    )
    assert [what for what, link in linked.items() if link not in pages] == []
