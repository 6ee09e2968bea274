"""A SNILS never travels in a URL: searches post it, links and pushed addresses carry a token."""

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from profdev.accounts.models import PersonalDataAccess
from profdev.common.identifiers import format_snils
from profdev.common.snils_queries import TOKEN_PREFIX
from profdev.common.tests.fixtures import World
from profdev.common.tests.isolation import response_text

LINK = re.compile(r'(?:href|action|src|hx-get|hx-post|hx-push-url|hx-vals)="([^"]*)"')


def variants(snils: str) -> list[str]:
    """Every way a SNILS is written (also URL-encoded: spaces as + or %20)."""
    formatted = format_snils(snils)
    written = [
        snils,
        formatted,
        formatted.replace(" ", "-"),
        formatted.replace("-", " "),
        f"{snils[:3]} {snils[3:6]} {snils[6:9]} {snils[9:]}",
    ]
    encoded = [w.replace(" ", "+") for w in written] + [w.replace(" ", "%20") for w in written]
    return written + encoded


def assert_no_snils_in_addresses(response: Any, snils: str) -> None:
    """Location, HX-Push-Url / HX-Redirect and every link of the page hold no form of the SNILS."""
    addresses = [
        response.get(header, "")
        for header in ("Location", "HX-Push-Url", "HX-Redirect", "HX-Replace-Url")
    ]
    if not getattr(response, "streaming", False) and "html" in response.get("Content-Type", ""):
        addresses += LINK.findall(response.content.decode())
    text = "\n".join(addresses)
    for variant in variants(snils):
        assert variant not in text, f"{variant} in an address: {text[:300]}"
    for address in addresses:  # whatever the separators: the digits of each address
        assert snils not in re.sub(r"\D", "", address), address


def test_the_address_check_sees_a_snils_in_a_link() -> None:
    from django.http import HttpResponse

    page = HttpResponse('<a href="/people/teachers/?q=112+233+445+95">x</a>')
    with pytest.raises(AssertionError):
        assert_no_snils_in_addresses(page, "11223344595")


@pytest.fixture
def operator_client(operator: Any) -> Client:
    client = Client()
    client.force_login(operator)
    return client


@pytest.mark.parametrize("form", ["digits", "formatted", "dashes", "spaces"])
def test_the_teacher_search_posts_a_snils_and_pushes_a_token(
    form: str, world: World, operator_client: Client
) -> None:
    teacher = world.teacher_a
    typed = {
        "digits": teacher.snils,
        "formatted": format_snils(teacher.snils),
        "dashes": format_snils(teacher.snils).replace(" ", "-"),
        "spaces": format_snils(teacher.snils).replace("-", " "),
    }[form]
    url = reverse("people:teacher-list")
    response = operator_client.post(url, {"q": typed, "position": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert teacher.last_name in body and world.teacher_b.last_name not in body
    pushed = response["HX-Push-Url"]
    assert pushed.startswith(url + "?") and TOKEN_PREFIX in pushed
    assert_no_snils_in_addresses(response, teacher.snils)

    # The pushed address (reload, bookmark, back button) finds the same teacher.
    page = operator_client.get(pushed)
    assert page.status_code == 200
    assert teacher.last_name in page.content.decode()
    assert world.teacher_b.last_name not in page.content.decode()
    assert_no_snils_in_addresses(page, teacher.snils)

    # Export and sorting keep the search without the number.
    export = operator_client.get(pushed + "&export=xlsx")
    text = response_text(export)
    assert teacher.last_name in text and world.teacher_b.last_name not in text
    sorted_page = operator_client.get(pushed + "&sort=-full_name")
    assert teacher.last_name in sorted_page.content.decode()
    assert_no_snils_in_addresses(sorted_page, teacher.snils)


def test_without_htmx_the_form_post_redirects_to_a_tokenized_address(
    world: World, operator_client: Client
) -> None:
    url = reverse("people:teacher-list")
    response = operator_client.post(url, {"q": format_snils(world.teacher_c.snils)})
    assert response.status_code == 303
    assert_no_snils_in_addresses(response, world.teacher_c.snils)
    page = operator_client.get(response["Location"])
    assert world.teacher_c.last_name in page.content.decode()
    # A name search still gives a plain, shareable address.
    response = operator_client.post(url, {"q": "Алексеева"})
    assert response["Location"] == url + "?q=%D0%90%D0%BB%D0%B5%D0%BA%D1%81%D0%B5%D0%B5%D0%B2%D0%B0"


def test_a_typed_address_with_a_snils_is_replaced(world: World, operator_client: Client) -> None:
    url = reverse("people:teacher-list")
    for typed in variants(world.teacher_a.snils)[:5]:
        response = operator_client.get(url, {"q": typed, "page": "1"})
        assert response.status_code == 302
        assert_no_snils_in_addresses(response, world.teacher_a.snils)
        assert "page=1" in response["Location"]
        page = operator_client.get(response["Location"])
        assert world.teacher_a.last_name in page.content.decode()
    # A SNILS inside longer text counts too, and a write with one in the address is refused.
    response = operator_client.get(url, {"q": f"Алексеева {world.teacher_a.snils}"})
    assert response.status_code == 302 and TOKEN_PREFIX in response["Location"]
    response = operator_client.post(url + "?q=" + world.teacher_a.snils, {})
    assert response.status_code == 400


def test_a_token_means_nothing_in_another_session(
    world: World, operator_client: Client, operator: Any
) -> None:
    url = reverse("people:teacher-list")
    response = operator_client.post(url, {"q": world.teacher_a.snils}, HTTP_HX_REQUEST="true")
    other = Client()
    other.force_login(operator)
    page = other.get(response["HX-Push-Url"]).content.decode()
    assert world.teacher_a.last_name not in page
    assert "Ничего не найдено" in page


def test_the_full_snils_stays_audited_after_a_search(
    world: World, operator_client: Client, operator: Any
) -> None:
    url = reverse("people:teacher-list")
    operator_client.post(url, {"q": world.teacher_a.snils}, HTTP_HX_REQUEST="true")
    assert not PersonalDataAccess.objects.exists()  # the list shows masked numbers only
    page = operator_client.get(reverse("people:teacher-detail", args=[world.teacher_a.pk]))
    assert format_snils(world.teacher_a.snils) in page.content.decode()
    assert PersonalDataAccess.objects.filter(
        user=operator, teacher=world.teacher_a, field="snils"
    ).exists()


def test_the_event_participant_search_posts_the_snils(
    world: World, operator_client: Client
) -> None:
    from profdev.events.models import Event

    event = Event.objects.create(
        title="Семинар",
        start_date="2024-03-01",
        end_date="2024-03-01",
        region=world.tomsk,
        level="regional",
    )
    detail = operator_client.get(event.get_absolute_url()).content.decode()
    assert 'hx-post="' + reverse("events:teacher-options", args=[event.pk]) in detail
    url = reverse("events:teacher-options", args=[event.pk])
    response = operator_client.post(url, {"teacher_q": format_snils(world.teacher_b.snils)})
    assert f'value="{world.teacher_b.pk}"' in response.content.decode()
    assert_no_snils_in_addresses(response, world.teacher_b.snils)


def test_the_api_refuses_a_snils_in_a_query_string(world: World, operator_client: Client) -> None:
    for query in ({"q": world.teacher_a.snils}, {"search": format_snils(world.teacher_a.snils)}):
        response = operator_client.get("/api/v1/teachers/", query)
        assert response.status_code == 400
        detail = response.json()["detail"]
        assert "СНИЛС нельзя передавать в адресе запроса" in detail
        assert "/api/v1/teachers/lookup/" in detail
    response = operator_client.get("/api/v1/teachers/", {"q": "Алексеева"})
    assert response.status_code == 200 and response.json()["count"] == 1


def test_the_api_finds_a_teacher_by_a_posted_snils_within_the_scope(
    world: World, operator_client: Client, tomsk_district_coordinator: Any, official: Any
) -> None:
    url = "/api/v1/teachers/lookup/"
    response = operator_client.post(
        url,
        json.dumps({"snils": format_snils(world.teacher_c.snils)}),
        content_type="application/json",
    )
    assert response.status_code == 200
    [found] = response.json()
    assert found["id"] == world.teacher_c.pk
    assert found["snils_masked"].endswith(world.teacher_c.snils[-2:])
    assert world.teacher_c.snils not in response.content.decode()
    # Outside the scope: found by nobody (another region, another district).
    body = json.dumps({"snils": world.teacher_d.snils})
    assert operator_client.post(url, body, content_type="application/json").json() == []
    coordinator = Client()
    coordinator.force_login(tomsk_district_coordinator)
    body = json.dumps({"snils": world.teacher_c.snils})
    assert coordinator.post(url, body, content_type="application/json").json() == []
    body = json.dumps({"snils": world.teacher_a.snils})
    assert [t["id"] for t in coordinator.post(url, body, content_type="application/json").json()]
    # Read-only roles may look up too; a malformed number is a 400 with the reason.
    reader = Client()
    reader.force_login(official)
    assert reader.post(url, body, content_type="application/json").status_code == 200
    response = reader.post(url, json.dumps({"snils": "123"}), content_type="application/json")
    assert response.status_code == 400
    assert "11 цифр" in response.json()["snils"][0]
