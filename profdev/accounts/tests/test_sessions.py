"""Login and sessions: password validators, expiry, logout everywhere, CSRF, who assigns roles."""

import datetime
import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from profdev.common.tests.fixtures import PASSWORD, World


@pytest.mark.parametrize("weak", ["12345678", "password", "qwerty", "operator1"])
def test_weak_passwords_are_refused(weak: str, operator: Any) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak, user=operator)
    validate_password("Кедр-сосна-2026!", user=operator)


def test_sessions_expire(operator: Any, client: Client) -> None:
    assert client.login(username="operator", password=PASSWORD)
    session = client.session
    assert session.get_expire_at_browser_close()
    assert 0 < session.get_expiry_age() <= settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY


def test_logout_everywhere_ends_every_session_and_the_token(operator: Any) -> None:
    laptop, phone = Client(), Client()
    laptop.force_login(operator)
    phone.force_login(operator)
    token = Token.objects.create(user=operator)
    assert phone.get(reverse("home")).status_code == 200
    response = laptop.post(reverse("accounts:end-sessions"))
    assert response.status_code == 302
    assert phone.get(reverse("home")).status_code == 302  # back to the login page
    assert laptop.get(reverse("home")).status_code == 302
    assert not Token.objects.filter(pk=token.pk).exists()
    assert not Session.objects.exists()


def test_the_operator_ends_another_users_sessions_and_others_cannot(
    operator: Any, school_coordinator: Any, teacher_user: Any
) -> None:
    coordinator, teacher = Client(), Client()
    coordinator.force_login(school_coordinator)
    teacher.force_login(teacher_user)
    # a non-operator cannot end someone else's sessions
    assert (
        teacher.post(reverse("accounts:end-sessions"), {"user": school_coordinator.pk}).status_code
        == 403
    )
    assert coordinator.get(reverse("home")).status_code == 200
    admin = Client()
    admin.force_login(operator)
    assert admin.post(reverse("accounts:end-sessions"), {"user": "x"}).status_code == 404
    response = admin.post(reverse("accounts:end-sessions"), {"user": school_coordinator.pk})
    assert response.status_code == 302
    assert coordinator.get(reverse("home")).status_code == 302
    assert teacher.get(reverse("home")).status_code == 200


def test_csrf_is_enforced_on_forms_and_on_the_api_with_a_session(
    operator: Any, world: World
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    response = client.post(
        reverse("people:teacher-create"), {"last_name": "Без", "first_name": "Токена"}
    )
    assert response.status_code == 403
    response = client.post(reverse("accounts:end-sessions"))
    assert response.status_code == 403
    response = client.post("/api/v1/events/", {"title": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    # with the token from the form, the same client passes the check
    page = client.get(reverse("people:teacher-create"))
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("people:teacher-create"), {"csrfmiddlewaretoken": token, "last_name": ""}
    )
    assert response.status_code == 200  # the form with its validation errors


def test_no_form_or_serializer_but_the_operators_screen_can_set_a_role() -> None:
    """Roles are assigned by the regional operator's user screens (and a superuser's admin):
    the only forms with a `role` field are `accounts.forms.UserForm` and its create form, whose
    views and services admit the operator only; no serializer writes `role`."""
    import importlib
    import pkgutil

    from django import forms
    from rest_framework import serializers

    import profdev
    from profdev.accounts.models import User

    for module in pkgutil.walk_packages(profdev.__path__, "profdev."):
        if ".tests" in module.name or ".migrations" in module.name:
            continue
        if module.name.rsplit(".", 1)[-1] in {"forms", "serializers"}:
            importlib.import_module(module.name)

    def subclasses(cls: type) -> set[type]:
        found = set(cls.__subclasses__())
        for sub in list(found):
            found |= subclasses(sub)
        return found

    from profdev.accounts.forms import UserCreateForm, UserForm

    offenders = []
    for form in subclasses(forms.ModelForm):
        meta = getattr(form, "_meta", None)
        if meta and meta.model is User and "role" in (getattr(form, "base_fields", {}) or {}):
            offenders.append(form)
    for form in subclasses(forms.Form):
        if form.__name__.endswith("FilterSetForm"):
            continue  # a list filter reads `role`, it writes nothing
        if "role" in (getattr(form, "base_fields", {}) or {}) and form not in {
            UserForm,
            UserCreateForm,
        }:
            offenders.append(form)
    for serializer in subclasses(serializers.ModelSerializer):
        meta = getattr(serializer, "Meta", None)
        if meta and getattr(meta, "model", None) is User:
            fields = getattr(meta, "fields", ())
            read_only = getattr(meta, "read_only_fields", ())
            if fields == "__all__" or ("role" in fields and "role" not in read_only):
                offenders.append(serializer)
    offenders = [o for o in offenders if not o.__module__.startswith("django.contrib")]
    assert not offenders, offenders


@pytest.mark.parametrize(
    "role", ["official", "methodist", "tomsk_district_coordinator", "school_coordinator"]
)
def test_other_roles_cannot_change_their_role(role: str, request: Any, client: Client) -> None:
    user = request.getfixturevalue(role)
    client.force_login(user)
    for url in [f"/admin/accounts/user/{user.pk}/change/", reverse("accounts:set-language")]:
        client.post(url, {"role": "operator", "language": "ru"})
    user.refresh_from_db()
    assert user.role != "operator"


def _page_after_login(client: Client, url: str) -> Any:
    """Log in through the login form that a redirect led to, and follow to the page."""
    response = client.get(url)
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith(reverse("accounts:login") + "?next=")
    login_page = client.get(login_url)
    return login_page, client.post(
        login_url, {"username": "operator", "password": PASSWORD, "next": url}
    )


def test_an_idle_session_expires_and_the_login_leads_back_to_the_page(
    operator: Any, client: Client
) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60  # SESSION_IDLE_MINUTES' default
    client.post(reverse("accounts:login"), {"username": "operator", "password": PASSWORD})
    url = reverse("people:teacher-list") + "?q=%D0%90"
    assert client.get(url).status_code == 200
    # Nothing happened for longer than the idle limit: the store forgets the session.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    login_page, response = _page_after_login(client, url)
    assert "Сеанс завершён после долгого бездействия." in login_page.content.decode()
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200


def _age_session(*, seen_seconds_ago: int, expires_in: datetime.timedelta) -> None:
    """The stored session as it is after `seen_seconds_ago` s without a write."""
    from profdev.accounts.middleware import SEEN_AT_KEY

    stored = Session.objects.get()
    data = stored.get_decoded()
    data[SEEN_AT_KEY] = int(time.time()) - seen_seconds_ago
    Session.objects.filter(pk=stored.pk).update(
        session_data=SessionStore().encode(data), expire_date=timezone.now() + expires_in
    )


def test_activity_keeps_the_session_alive(operator: Any, client: Client) -> None:
    client.post(reverse("accounts:login"), {"username": "operator", "password": PASSWORD})
    # 28 minutes since the last write: two minutes of the idle limit left.
    _age_session(seen_seconds_ago=28 * 60, expires_in=datetime.timedelta(minutes=2))
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get()
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert session.expire_date > timezone.now() + idle - datetime.timedelta(minutes=1)
    assert client.get(reverse("home")).status_code == 200


def test_the_session_is_written_at_most_once_a_minute(operator: Any, client: Client) -> None:
    """Pages read the session; the idle expiry moves forward only when the last write is a
    minute old, not on every request (a write per page was most of a page's database work)."""
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_TOUCH_SECONDS == 60
    client.post(reverse("accounts:login"), {"username": "operator", "password": PASSWORD})
    soon = datetime.timedelta(minutes=29, seconds=30)
    _age_session(seen_seconds_ago=30, expires_in=soon)
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("healthz")).status_code == 200
        writes = [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"]]
        assert writes and all(sql.startswith("SELECT") for sql in writes), writes
    expire = Session.objects.get().expire_date
    assert expire < timezone.now() + soon  # not moved forward
    # A minute after the last write, the next request moves the expiry (one write).
    _age_session(seen_seconds_ago=61, expires_in=soon)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("healthz")).status_code == 200
    assert any(
        "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
        for q in ctx.captured_queries
    )
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert Session.objects.get().expire_date > timezone.now() + idle - datetime.timedelta(seconds=5)


def test_the_absolute_limit_ends_an_active_session(operator: Any, client: Client) -> None:
    from profdev.accounts.middleware import LOGIN_AT_KEY

    assert settings.SESSION_MAX_AGE == 8 * 3600  # SESSION_MAX_HOURS' default
    client.post(reverse("accounts:login"), {"username": "operator", "password": PASSWORD})
    session = client.session
    assert time.time() - session[LOGIN_AT_KEY] < 60
    # The user kept working (the idle expiry is fresh) but logged in nine hours ago.
    session[LOGIN_AT_KEY] = int(time.time()) - 9 * 3600
    session.save()
    url = reverse("people:teacher-list")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=" + url
    page = client.get(response["Location"]).content.decode()
    assert "Сеанс завершён: с момента входа прошло слишком много времени." in page
    response = client.post(
        response["Location"], {"username": "operator", "password": PASSWORD, "next": url}
    )
    assert response["Location"] == url
    assert client.get(url).status_code == 200  # a new login starts a new period


def test_the_api_answers_401_or_403_after_the_absolute_limit(operator: Any, client: Client) -> None:
    from profdev.accounts.middleware import LOGIN_AT_KEY

    client.force_login(operator)
    assert client.get("/api/v1/teachers/").status_code == 200
    session = client.session
    session[LOGIN_AT_KEY] = int(time.time()) - 9 * 3600
    session.save()
    assert client.get("/api/v1/teachers/").status_code in {401, 403}
