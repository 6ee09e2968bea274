from typing import Any

import pytest
from django.urls import reverse

from profdev.orgs.models import Organization


def _org_form(world, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "region": world.tomsk.pk,
        "municipality": world.tomsk_district.pk,
        "name": "МБОУ «Новая школа»",
        "kind": "school",
        "founder": "municipality",
        "inn": "",
        "ogrn": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_operator_creates_organization(world, operator, login) -> None:  # type: ignore[no-untyped-def]
    client = login(operator)
    response = client.post(
        reverse("orgs:organization-create"),
        _org_form(world, inn="7707083893", ogrn="1027700132195"),
    )
    assert response.status_code == 302
    organization = Organization.objects.get(name="МБОУ «Новая школа»")
    assert organization.region == world.tomsk and organization.history.count() == 1


def test_municipality_of_another_region_is_refused(
    world, other_region_operator, operator, login
) -> None:  # type: ignore[no-untyped-def]
    client = login(operator)
    before = Organization.objects.count()
    # Asino is in Tomsk region, the region field says Novosibirsk: the operator of Tomsk cannot even pick it.
    response = client.post(
        reverse("orgs:organization-create"), _org_form(world, region=world.nsk.pk)
    )
    assert response.status_code == 200
    assert Organization.objects.count() == before
    from profdev.accounts.models import User

    federal = User.objects.create_user(
        "federal", password="x-secret-123", role="operator", is_superuser=True
    )
    client.force_login(federal)
    response = client.post(
        reverse("orgs:organization-create"), _org_form(world, region=world.nsk.pk)
    )
    assert "относится к другому региону" in response.content.decode()
    api = client.post(
        "/api/v1/organizations/",
        {
            "region": world.nsk.pk,
            "municipality": world.asino.pk,
            "name": "X",
            "kind": "school",
            "founder": "municipality",
        },
        content_type="application/json",
    )
    assert api.status_code == 400 and "другому региону" in str(api.json())
    assert Organization.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("inn", "7707083894", "ИНН"), ("ogrn", "1027700132196", "ОГРН"), ("inn", "12345", "10 цифр")],
)
def test_bad_inn_ogrn(world, operator, login, field, value, message) -> None:  # type: ignore[no-untyped-def]
    client = login(operator)
    response = client.post(reverse("orgs:organization-create"), _org_form(world, **{field: value}))
    assert message in response.content.decode()
    assert not Organization.objects.filter(name="МБОУ «Новая школа»").exists()


def test_coordinator_cannot_edit_other_municipality_school(world, asino_coordinator, login) -> None:  # type: ignore[no-untyped-def]
    client = login(asino_coordinator)
    url = reverse("orgs:organization-update", args=[world.school_a.pk])
    assert client.post(url, _org_form(world, name="Чужая")).status_code == 404
    api = client.patch(
        f"/api/v1/organizations/{world.school_a.pk}/",
        {"name": "Чужая"},
        content_type="application/json",
    )
    assert api.status_code == 404
    world.school_a.refresh_from_db()
    assert world.school_a.name != "Чужая"


def test_healthz(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_api_schema_and_docs(client, operator, login) -> None:  # type: ignore[no-untyped-def]
    client = login(operator)
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/teachers/" in schema.json()["paths"]
    assert client.get("/api/v1/docs/").status_code == 200


def test_login_page_and_wrong_password(client, operator) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200 and "Вход в систему" in page.content.decode()
    wrong = client.post(reverse("accounts:login"), {"username": "operator", "password": "wrong"})
    assert "Неверное имя пользователя или пароль." in wrong.content.decode()
    ok = client.post(
        reverse("accounts:login"), {"username": "operator", "password": "secret-pass-123"}
    )
    assert ok.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_pages_link_only_to_pages_the_user_may_open(  # type: ignore[no-untyped-def]
    world, operator, school_coordinator, login
) -> None:
    """A school's page names its municipality and an event its organizer; the name is a link
    only for a user who may open that page (found by bench/pages_crawl.py: dead links to 404s)."""
    from profdev.events.tests.factories import EventFactory

    school = reverse("orgs:organization-detail", args=[world.school_a.pk])
    municipality = reverse("orgs:municipality-detail", args=[world.tomsk_district.pk])
    event: Any = EventFactory(region=world.tomsk, organizer_organization=world.school_c)
    event_url = reverse("events:event-detail", args=[event.pk])
    organizer = reverse("orgs:organization-detail", args=[world.school_c.pk])

    client = login(school_coordinator)
    page = client.get(school).content.decode()
    assert "Томский район" in page and f'href="{municipality}"' not in page
    assert client.get(municipality).status_code == 404
    page = client.get(event_url).content.decode()
    assert world.school_c.name in page and f'href="{organizer}"' not in page
    assert client.get(organizer).status_code == 404

    client = login(operator)
    assert f'href="{municipality}"' in client.get(school).content.decode()
    assert f'href="{organizer}"' in client.get(event_url).content.decode()
