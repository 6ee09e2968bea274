"""Russian by default; English is each user's own choice, kept in their account."""

from typing import Any

from django.test import Client
from django.urls import reverse

from profdev.common.tests.fixtures import PASSWORD

HOME = "/"


def page(client: Client, url: str = HOME, **headers: Any) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_russian_is_the_default_whatever_the_browser_asks(client: Client, operator: Any) -> None:
    client.force_login(operator)
    html = page(client, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="ru">' in html
    assert "Выйти" in html and "Главная" in html
    assert "Sign out" not in html
    login_page = page(Client(), reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="ru">' in login_page and "Войти" in login_page


def test_english_user_sees_english(client: Client, operator: Any) -> None:
    operator.language = "en"
    operator.save(update_fields=["language"])
    client.force_login(operator)
    response = client.get(HOME)
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "Sign out" in html and "Welcome" in html and "Teachers" in html
    assert "Выйти" not in html


def test_switching_language_in_the_interface_persists(client: Client, operator: Any) -> None:
    client.force_login(operator)
    assert 'action="/accounts/language/"' in page(client)  # the switch is on the home page
    response = client.post(reverse("accounts:set-language"), {"language": "en", "next": HOME})
    assert response.status_code == 302 and response["Location"] == HOME
    operator.refresh_from_db()
    assert operator.language == "en"
    assert "Sign out" in page(client)

    # Another browser: the setting belongs to the account, not to the session.
    elsewhere = Client()
    response = elsewhere.post(
        reverse("accounts:login"), {"username": "operator", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "Sign out" in page(elsewhere)

    # After logout the login page stays in the language last chosen in this browser.
    elsewhere.post(reverse("accounts:logout"))
    assert "Sign in" in page(elsewhere, reverse("accounts:login"))

    client.post(reverse("accounts:set-language"), {"language": "ru"})
    operator.refresh_from_db()
    assert operator.language == "ru"
    assert "Выйти" in page(client)


def test_language_switch_rejects_unknown_languages_and_foreign_redirects(
    client: Client, operator: Any
) -> None:
    client.force_login(operator)
    response = client.post(
        reverse("accounts:set-language"), {"language": "de", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    operator.refresh_from_db()
    assert operator.language == "ru"


def test_switch_needs_login_and_post(client: Client, operator: Any) -> None:
    url = reverse("accounts:set-language")
    assert client.post(url, {"language": "en"}).status_code == 302  # to the login page
    operator.refresh_from_db()
    assert operator.language == "ru"
    client.force_login(operator)
    assert client.get(url).status_code == 405


def test_language_does_not_leak_into_the_next_request(client: Client, operator: Any) -> None:
    operator.language = "en"
    operator.save(update_fields=["language"])
    client.force_login(operator)
    assert "Sign out" in page(client)
    assert "Войти" in page(Client(), reverse("accounts:login"))


def test_english_pages_format_dates_in_english(client: Client, operator: Any, world: Any) -> None:
    operator.language = "en"
    operator.save(update_fields=["language"])
    client.force_login(operator)
    html = page(client, reverse("people:teacher-detail", args=[world.teacher_a.pk]))
    assert '<html lang="en">' in html
    assert "1 September 2010" in html  # career start, not «1 сентября 2010 г.»
