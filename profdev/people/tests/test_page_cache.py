"""The teacher list page served from memory (`common.page_cache`) is exactly the page rendered
afresh, after every kind of write that can change what it shows, cross-region ones included;
it never crosses users or scopes, and its CSRF token is the requesting session's own."""

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profdev.common import page_cache
from profdev.common.tests.factories import OrganizationFactory, teacher_at
from profdev.orgs.models import Municipality, Organization, Region
from profdev.people import views
from profdev.people.choices import EmploymentKind
from profdev.people.models import Employment, Subject, Teacher

URL = reverse("people:teacher-list")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HEADER_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


def without_tokens(html: str) -> str:
    return HEADER_TOKEN.sub("", TOKEN.sub("", html))


def fresh(client: Client, query: dict[str, str] | None = None) -> str:
    """The page rendered with every cache of the list emptied."""
    page_cache.PAGES.clear()
    views.FILTER_HTML.clear()
    views.TABLE_HTML.clear()
    from django.core.cache import cache

    cache.clear()
    return without_tokens(client.get(URL, query or {}).content.decode())


def served(client: Client, query: dict[str, str] | None = None) -> str:
    response = client.get(URL, query or {})
    assert response.status_code == 200
    html = response.content.decode()
    assert page_cache.PLACEHOLDER not in html
    return without_tokens(html)


def reads_teachers(queries: list[dict[str, Any]]) -> bool:
    return any('FROM "people_teacher"' in q["sql"] for q in queries)


@pytest.mark.parametrize(
    "user_fixture", ["official", "tomsk_district_coordinator", "school_coordinator"]
)
def test_a_stored_page_is_the_fresh_page_after_every_write(  # type: ignore[no-untyped-def]
    world, request, login, user_fixture
) -> None:
    client = login(request.getfixturevalue(user_fixture))
    page_cache.PAGES.clear()
    # Works part-time at school A (Tomsk Region) and mainly at school D (Novosibirsk): the list
    # of Tomsk shows the job in Novosibirsk.
    commuter = teacher_at(
        world.school_a, last_name="Аверина", employment_kind=EmploymentKind.PART_TIME
    )
    Employment.objects.create(
        teacher=commuter,
        organization=world.school_d,
        position="teacher",
        kind=EmploymentKind.MAIN,
        start_date=datetime.date(2016, 9, 1),
    )
    lyceum: Any = OrganizationFactory(municipality=world.nsk_city, short_name="Лицей № 9")
    first = served(client)
    assert first == fresh(client)
    assert "Аверина" in first and str(world.school_d) in first
    served(client)
    with CaptureQueriesContext(connection) as ctx:
        assert served(client) == first
    assert not reads_teachers(ctx.captured_queries)  # from memory
    assert len(ctx.captured_queries) <= 5

    writes = [
        # The teacher's own columns: a save (signals), a bulk update, raw SQL.
        lambda: Teacher.objects.filter(pk=world.teacher_a.pk).update(
            qualification_category="highest"
        ),
        lambda: _save_name(world.teacher_a, "Абрамова"),
        lambda: _raw("UPDATE people_teacher SET last_name = 'Агеева' WHERE id = %s", commuter.pk),
        lambda: Teacher.objects.filter(pk=commuter.pk).update(
            career_start=datetime.date.today() - datetime.timedelta(days=30)
        ),
        # In another region: the commuter's main school renamed, moved, its municipality renamed.
        lambda: Organization.objects.filter(pk=world.school_d.pk).update(short_name="Школа № 10"),
        lambda: Municipality.objects.filter(pk=world.nsk_city.pk).update(name="Новосибирск"),
        # A new main job in Novosibirsk, then a raw update of its position.
        lambda: Employment.objects.create(
            teacher=commuter,
            organization=lyceum,
            position="deputy",
            kind=EmploymentKind.MAIN,
            start_date=datetime.date(2020, 9, 1),
        ),
        lambda: _raw(
            "UPDATE people_employment SET position = 'methodist' WHERE teacher_id = %s "
            "AND start_date = '2020-09-01'",
            commuter.pk,
        ),
        # The filter form's choices and the region's name.
        lambda: Subject.objects.create(name="Астрономия"),
        lambda: Region.objects.filter(pk=world.tomsk.pk).update(name="Томская обл."),
        lambda: Employment.objects.filter(teacher=world.teacher_b).delete(),
    ]
    for number, write in enumerate(writes):
        before = served(client)
        write()
        after = served(client)
        assert after == fresh(client), f"write {number} is not on the stored page"
        assert served(client) == after
        shown = number not in (9, *_NOT_SHOWN.get(user_fixture, ()))
        assert (after != before) == shown, number


# Writes that the page of that user does not show (9, the region's name: no one's list).
_NOT_SHOWN = {"school_coordinator": (10,)}


def _save_name(teacher: Teacher, last_name: str) -> None:
    teacher.refresh_from_db()
    teacher.last_name = last_name
    teacher.save()


def _raw(sql: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def test_pages_are_per_user_and_scope(  # type: ignore[no-untyped-def]
    world, official, tomsk_district_coordinator, other_region_operator, login
) -> None:
    page_cache.PAGES.clear()
    pages = {}
    for user in (official, tomsk_district_coordinator, other_region_operator, official):
        client = login(user)
        pages[user.username] = served(client)
        assert pages[user.username] == served(client) == fresh(client)
    assert "Васильева" in pages["official"] and "Григорьева" not in pages["official"]
    assert "Васильева" not in pages["tomsk_district"]
    assert "Григорьева" in pages["nsk_operator"] and "Алексеева" not in pages["nsk_operator"]


def test_a_stored_page_carries_the_sessions_own_csrf_token(world, official) -> None:  # type: ignore[no-untyped-def]
    page_cache.PAGES.clear()
    first = Client(enforce_csrf_checks=True)
    first.force_login(official)
    first.get(URL)
    second = Client(enforce_csrf_checks=True)  # the same user in another session
    second.force_login(official)
    html = second.get(URL).content.decode()
    assert len(page_cache.PAGES) == 1  # served from memory
    token = TOKEN.search(html)
    assert token and HEADER_TOKEN.search(html)
    # The filter form posts with the token the page gave.
    response = second.post(URL, {"csrfmiddlewaretoken": token.group(1), "q": "Алекс"})
    assert response.status_code == 303
    # A token from the other session's page is refused.
    other = TOKEN.search(first.get(URL).content.decode())
    assert other
    third = Client(enforce_csrf_checks=True)
    third.force_login(official)
    assert third.post(URL, {"csrfmiddlewaretoken": "x" * 64, "q": "А"}).status_code == 403


def test_filtered_lists_htmx_fragments_and_exports_are_not_stored(world, official, login) -> None:  # type: ignore[no-untyped-def]
    client = login(official)
    page_cache.PAGES.clear()
    client.get(URL)
    assert len(page_cache.PAGES) == 1
    client.get(URL, {"q": "Алексеева"})
    client.get(URL, {"export": "xlsx"})
    fragment = client.get(URL, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Алексеева" in fragment
    assert len(page_cache.PAGES) == 1


def test_a_page_with_a_message_waiting_is_rendered_and_not_stored(world, operator, login) -> None:  # type: ignore[no-untyped-def]
    client = login(operator)
    page_cache.PAGES.clear()
    client.get(URL)
    # A teacher saved: the message waits for the next page, here the list.
    teacher = Teacher.objects.get(pk=world.teacher_a.pk)
    response = client.post(
        reverse("people:teacher-update", args=[teacher.pk]),
        {
            "last_name": "Алексеева",
            "first_name": "Анна",
            "middle_name": "",
            "snils": teacher.snils,
            "qualification_category": teacher.qualification_category,
            "email": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(URL).content.decode()
    assert "Изменения сохранены." in page
    assert "Изменения сохранены." not in client.get(URL).content.decode()


def test_an_import_refreshes_the_lists_of_the_teachers_other_regions(  # type: ignore[no-untyped-def]
    world, operator, other_region_operator, tmp_path
) -> None:
    """Tomsk's operator imports a teacher of Novosibirsk at a Tomsk school: the Novosibirsk list
    shows that teacher's new current job (on PostgreSQL the importer stamps the lists itself)."""
    from profdev.common.identifiers import format_snils
    from profdev.imports.services import import_run
    from profdev.imports.tests.helpers import HEADER, teacher_row, write_xlsx

    nsk = Client()
    nsk.force_login(other_region_operator)
    before = served(nsk)
    assert "Григорьева" in before
    moving = world.teacher_d
    row = teacher_row(
        1,
        world.school_a.name,
        last=moving.last_name,
        first=moving.first_name,
        middle=moving.middle_name,
        snils=format_snils(moving.snils),
        career=moving.career_start or "",  # their own data unchanged: a new job only
    )
    path = write_xlsx(tmp_path / "teachers.xlsx", [HEADER, row])
    summary = import_run(
        user=operator, kind="teachers", path=str(path), filename="teachers.xlsx", commit=True
    )
    assert summary.get("committed") and not summary.get("rejected"), summary
    after = served(nsk)
    assert after == fresh(nsk)
    assert after != before
