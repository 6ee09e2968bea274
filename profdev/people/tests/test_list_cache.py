"""The teacher list's cached parts (the count of a node's teachers, the rendered filter form) are
exactly what the direct reads give, after every kind of write, and never cross scopes."""

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from profdev.common.tests.factories import OrganizationFactory, teacher_at
from profdev.orgs.models import Organization
from profdev.people import views
from profdev.people.models import Employment, Subject, Teacher

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
URL = reverse("people:teacher-list")


FOUND = re.compile(r"Найдено: (\d+)")


def counted(client: Any) -> int:
    """The count the page shows (a page served from memory has no template context)."""
    response = client.get(URL)
    assert response.status_code == 200
    found = FOUND.search(response.content.decode())
    assert found
    return int(found.group(1))


def counts_places(queries: list[dict[str, Any]]) -> bool:
    return any("COUNT(" in q["sql"] and "people_teacherplace" in q["sql"] for q in queries)


@pytest.mark.parametrize(
    "user_fixture", ["official", "tomsk_district_coordinator", "school_coordinator"]
)
def test_the_cached_count_follows_every_kind_of_write(  # type: ignore[no-untyped-def]
    world, request, login, user_fixture
) -> None:
    user = request.getfixturevalue(user_fixture)
    client = login(user)

    def visible() -> int:
        return Teacher.objects.for_user(user).count()

    assert counted(client) == visible() > 0
    expected = visible()
    with CaptureQueriesContext(connection) as ctx:
        assert counted(client) == expected
    assert not counts_places(ctx.captured_queries)  # read from the cache

    new = teacher_at(world.school_a, last_name="Новикова")  # an ORM insert
    with CaptureQueriesContext(connection) as ctx:
        assert counted(client) == visible()
    assert counts_places(ctx.captured_queries)  # the write made a new key
    Employment.objects.filter(teacher=new).update(end_date=YESTERDAY)  # bulk update, no signal
    assert counted(client) == visible()
    with connection.cursor() as cursor:  # raw SQL
        cursor.execute(
            "UPDATE people_employment SET end_date = NULL WHERE teacher_id = %s", [new.pk]
        )
    assert counted(client) == visible()
    # The school moves to another region (a bulk update of the organization only).
    Organization.objects.filter(pk=world.school_a.pk).update(
        region=world.nsk, municipality=world.nsk_city
    )
    assert counted(client) == visible()
    Organization.objects.filter(pk=world.school_a.pk).update(
        region=world.tomsk, municipality=world.tomsk_district
    )
    assert counted(client) == visible()
    Teacher.objects.filter(pk=new.pk).delete()
    assert counted(client) == visible() == expected


FIELDS = re.compile(
    r'role="search".*?name="csrfmiddlewaretoken" value="[^"]+">(.*?)<div class="col-auto">', re.S
)


def form_fields(client: Any, query: dict[str, str] | None = None) -> str:
    response = client.get(URL, query or {})
    assert response.status_code == 200
    found = FIELDS.search(response.content.decode())
    assert found
    return found.group(1).strip()


def test_the_cached_filter_form_follows_writes(world, official, login) -> None:  # type: ignore[no-untyped-def]
    client = login(official)
    views.FILTER_HTML.clear()
    first = form_fields(client)
    assert str(world.school_a) in first and str(world.school_d) not in first
    with CaptureQueriesContext(connection) as ctx:
        assert form_fields(client) == first
    assert not any('FROM "orgs_organization"' in q["sql"] for q in ctx.captured_queries)
    # The same fields as the form rendered without the cache (a filtered list is not cached).
    assert form_fields(client, {"q": ""}) == first

    Organization.objects.filter(pk=world.school_a.pk).update(short_name="Школа-переименованная")
    fields = form_fields(client)
    assert "Школа-переименованная" in fields and str(world.school_a) not in fields
    OrganizationFactory(municipality=world.asino, name="МБОУ «Новенькая СОШ»")
    assert "МБОУ «Новенькая СОШ»" in form_fields(client)
    Subject.objects.create(name="Астрономия")
    fields = form_fields(client)
    assert "Астрономия" in fields
    assert fields == form_fields(client, {"q": ""})


def test_cached_filter_forms_are_per_scope(  # type: ignore[no-untyped-def]
    world, official, tomsk_district_coordinator, other_region_operator, login
) -> None:
    views.FILTER_HTML.clear()
    seen = {}
    for user in (official, tomsk_district_coordinator, other_region_operator, official):
        client = login(user)
        seen[user.username] = form_fields(client)
        assert seen[user.username] == form_fields(client, {"q": ""})
    assert str(world.school_c) in seen["official"]
    assert str(world.school_c) not in seen["tomsk_district"]
    assert str(world.school_a) in seen["tomsk_district"]
    assert str(world.school_a) not in seen["nsk_operator"]
    assert str(world.school_d) in seen["nsk_operator"]
    assert str(world.school_d) not in seen["official"]


def test_the_cached_table_follows_writes(world, official, login) -> None:  # type: ignore[no-untyped-def]
    client = login(official)
    views.TABLE_HTML.clear()
    first = client.get(URL).content.decode()
    assert "Алексеева" in first and len(views.TABLE_HTML) == 1
    assert client.get(URL).content.decode().count("Алексеева") == first.count("Алексеева")
    assert len(views.TABLE_HTML) == 1  # the same rows: the same fragment
    # A rename by a bulk update (no signal): the rows are read on every request.
    Teacher.objects.filter(pk=world.teacher_a.pk).update(last_name="Абрамова")
    page = client.get(URL).content.decode()
    assert "Абрамова" in page and "Алексеева" not in page
    Teacher.objects.filter(pk=world.teacher_a.pk).update(qualification_category="highest")
    page = client.get(URL).content.decode()
    assert "Высшая" in page
    # Another order or page is another fragment.
    names = ["Абрамова", "Борисова", "Васильева"]
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions)
    page = client.get(URL, {"sort": "-full_name"}).content.decode()
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions, reverse=True)
