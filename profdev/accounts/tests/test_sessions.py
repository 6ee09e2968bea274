"""Login and sessions: password validators, expiry, logout everywhere, CSRF, who assigns roles."""

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
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


def test_no_form_or_serializer_outside_the_admin_can_set_a_role() -> None:
    """Roles are assigned by the operator in the admin only; no page or API writes `role`."""
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

    offenders = []
    for form in subclasses(forms.ModelForm):
        meta = getattr(form, "_meta", None)
        if meta and meta.model is User and "role" in (getattr(form, "base_fields", {}) or {}):
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
