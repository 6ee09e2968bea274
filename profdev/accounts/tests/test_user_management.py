"""User management by the regional operator: who may, what, where, and what is refused."""

from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from profdev.accounts import services
from profdev.accounts.models import User
from profdev.common.tests.factories import UserFactory
from profdev.common.tests.fixtures import World
from profdev.common.tests.isolation import response_text

GOOD_PASSWORD = "Кедровый-орех-2026"


def _create_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "username": "new_coordinator",
        "last_name": "Новикова",
        "first_name": "Нина",
        "email": "nina@example.ru",
        "role": "municipal",
        "municipality": "",
        "organization": "",
        "teacher_snils": "",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.fixture
def operator_client(operator: Any) -> Client:
    client = Client()
    client.force_login(operator)
    return client


@pytest.fixture
def nsk_user(world: World) -> Any:
    return UserFactory(
        username="nsk_school", role="school", region=world.nsk, organization=world.school_d
    )


@pytest.fixture
def superuser(world: World) -> Any:
    return UserFactory(username="root", is_superuser=True, is_staff=True, region=world.tomsk)


def test_the_operator_creates_an_account_bound_inside_the_region(
    world: World, operator: Any, operator_client: Client
) -> None:
    response = operator_client.post(
        reverse("accounts:user-create"),
        _create_data(municipality=world.asino.pk),
    )
    assert response.status_code == 302, response.context["form"].errors
    account = User.objects.get(username="new_coordinator")
    assert response["Location"] == reverse("accounts:user-detail", args=[account.pk])
    assert (account.role, account.municipality, account.region) == (
        "municipal",
        world.asino,
        world.tomsk,
    )
    assert authenticate(username="new_coordinator", password=GOOD_PASSWORD) == account
    created = account.history.get()
    assert created.history_user == operator and created.history_type == "+"
    # The new coordinator sees the district only.
    assert account.scope.node_id == world.asino.pk


def test_a_teacher_account_is_bound_by_snils_and_a_school_account_by_organization(
    world: World, operator_client: Client
) -> None:
    response = operator_client.post(
        reverse("accounts:user-create"),
        _create_data(username="t_b", role="teacher", teacher_snils=world.teacher_b.snils),
    )
    assert response.status_code == 302
    assert User.objects.get(username="t_b").teacher == world.teacher_b
    response = operator_client.post(
        reverse("accounts:user-create"),
        _create_data(username="s_c", role="school", organization=world.school_c.pk),
    )
    assert response.status_code == 302
    school = User.objects.get(username="s_c")
    assert (school.organization, school.municipality) == (world.school_c, world.asino)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"role": "municipal"}, "municipality", "укажите муниципалитет"),
        ({"role": "school"}, "organization", "укажите организацию"),
        ({"role": "teacher"}, "teacher_snils", "укажите запись в реестре"),
        ({"role": "teacher", "teacher_snils": "123"}, "teacher_snils", "11 цифр"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", ""),
        ({"password2": "другой-пароль-1"}, "password2", "не совпадают"),
        ({"username": "operator"}, "username", ""),
    ],
)
def test_bad_input_is_refused_with_a_reason(
    overrides: dict[str, Any],
    field: str,
    message: str,
    world: World,
    operator_client: Client,
) -> None:
    data = _create_data(municipality=world.asino.pk)
    if overrides.get("role") in {"municipal", "school", "teacher"}:
        data["municipality"] = ""
    data.update(overrides)
    before = User.objects.count()
    response = operator_client.post(reverse("accounts:user-create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors or "__all__" in errors, errors
    text = " ".join(str(e) for e in errors.get(field, errors.get("__all__")))
    assert message.lower() in text.lower()
    assert User.objects.count() == before


def test_a_binding_that_does_not_match_the_role_is_refused(
    world: World, operator_client: Client
) -> None:
    response = operator_client.post(
        reverse("accounts:user-create"),
        _create_data(role="official", municipality=world.asino.pk),
    )
    assert response.status_code == 200
    assert "только своё поле привязки" in str(response.context["form"].errors)
    assert not User.objects.filter(username="new_coordinator").exists()


def test_nothing_outside_the_region_can_be_chosen(world: World, operator: Any) -> None:
    with pytest.raises(ValidationError):
        services.user_create(
            actor=operator,
            username="x1",
            last_name="Икс",
            first_name="Икс",
            email="",
            role="municipal",
            node=world.nsk_city,
            password=GOOD_PASSWORD,
        )
    with pytest.raises(ValidationError):
        services.user_create(
            actor=operator,
            username="x2",
            last_name="Икс",
            first_name="Икс",
            email="",
            role="teacher",
            node=world.teacher_d,
            password=GOOD_PASSWORD,
        )
    with pytest.raises(ValidationError):  # a node of the wrong level for the role
        services.user_create(
            actor=operator,
            username="x3",
            last_name="Икс",
            first_name="Икс",
            email="",
            role="municipal",
            node=world.school_a,
            password=GOOD_PASSWORD,
        )
    assert not User.objects.filter(username__in=["x1", "x2", "x3"]).exists()


def test_the_list_shows_the_region_only_and_searches_sorts_and_exports(
    world: World,
    operator_client: Client,
    school_coordinator: Any,
    teacher_user: Any,
    nsk_user: Any,
    superuser: Any,
) -> None:
    url = reverse("accounts:user-list")
    page = operator_client.get(url).content.decode()
    assert "school_a" in page and "teacher_a" in page
    assert "nsk_school" not in page and "root" not in page
    page = operator_client.get(url, {"role": "school"}).content.decode()
    assert "school_a" in page and "teacher_a" not in page
    page = operator_client.get(url, {"municipality": world.tomsk_district.pk}).content.decode()
    assert "school_a" in page
    page = operator_client.get(url, {"q": "teacher_a", "sort": "-username"}).content.decode()
    assert "teacher_a" in page and "school_a" not in page
    export = response_text(operator_client.get(url, {"export": "xlsx"}))
    assert "school_a" in export and "nsk_school" not in export and "root" not in export
    menu = operator_client.get(reverse("home")).content.decode()
    assert f'href="{url}"' in menu


@pytest.mark.parametrize(
    "role",
    [
        "official",
        "methodist",
        "tomsk_district_coordinator",
        "school_coordinator",
        "teacher_user",
    ],
)
def test_no_other_role_reaches_the_screens(
    role: str, request: Any, world: World, operator: Any, school_coordinator: Any
) -> None:
    client = Client()
    user = request.getfixturevalue(role)
    client.force_login(user)
    target = school_coordinator.pk
    for name, args in [
        ("accounts:user-list", []),
        ("accounts:user-create", []),
        ("accounts:user-detail", [target]),
        ("accounts:user-update", [target]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403
    before = list(User.objects.order_by("pk").values_list("role", "is_active", "password"))
    for name, data in [
        ("accounts:user-create", _create_data(municipality=world.asino.pk)),
        ("accounts:user-update", _create_data(role="operator")),
        ("accounts:user-set-active", {"active": "0"}),
        ("accounts:user-password", {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}),
    ]:
        args = [] if name == "accounts:user-create" else [target]
        assert client.post(reverse(name, args=args), data).status_code == 403
    assert list(User.objects.order_by("pk").values_list("role", "is_active", "password")) == before
    assert reverse("accounts:user-list") not in client.get(reverse("home")).content.decode()


def test_accounts_outside_the_region_and_superusers_are_not_found(
    world: World, operator_client: Client, nsk_user: Any, superuser: Any, operator: Any
) -> None:
    for account in (nsk_user, superuser):
        for name in ("accounts:user-detail", "accounts:user-update"):
            assert operator_client.get(reverse(name, args=[account.pk])).status_code == 404
        for name, data in [
            ("accounts:user-update", _create_data(role="official")),
            ("accounts:user-set-active", {"active": "0"}),
            ("accounts:user-password", {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}),
        ]:
            assert operator_client.post(reverse(name, args=[account.pk]), data).status_code == 404
        account.refresh_from_db()
        assert account.is_active and account.role != "official"
        assert not account.check_password(GOOD_PASSWORD)
        with pytest.raises(PermissionDenied):
            services.user_set_active(actor=operator, user=account, active=False)
    # another region's operator cannot see ours either
    other = Client()
    other.force_login(UserFactory(username="nsk_op", role="operator", region=world.nsk))
    assert other.get(reverse("accounts:user-detail", args=[operator.pk])).status_code == 404


def test_the_operator_changes_a_role_and_binding(
    world: World, operator: Any, operator_client: Client, school_coordinator: Any
) -> None:
    url = reverse("accounts:user-update", args=[school_coordinator.pk])
    form = operator_client.get(url).content.decode()
    assert 'name="username"' in form and "disabled" in form
    response = operator_client.post(
        url,
        {
            "username": "ignored",
            "last_name": "Петрова",
            "first_name": "Полина",
            "email": "",
            "role": "municipal",
            "municipality": world.asino.pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    school_coordinator.refresh_from_db()
    assert school_coordinator.username == "school_a"
    assert (school_coordinator.role, school_coordinator.municipality) == ("municipal", world.asino)
    assert school_coordinator.organization is None
    latest = school_coordinator.history.latest("history_date")
    assert latest.history_user == operator and latest.history_type == "~"
    assert latest.history_change_reason == "changed by the regional operator"


def test_the_operator_cannot_demote_or_deactivate_themself(
    world: World, operator: Any, operator_client: Client
) -> None:
    response = operator_client.post(
        reverse("accounts:user-update", args=[operator.pk]),
        {"last_name": "Оператор", "first_name": "О", "email": "", "role": "official"},
    )
    assert response.status_code == 200
    assert "самого себя" in str(response.context["form"].errors)
    response = operator_client.post(
        reverse("accounts:user-set-active", args=[operator.pk]), {"active": "0"}, follow=True
    )
    assert "Нельзя отключить собственную учётную запись." in response.content.decode()
    operator.refresh_from_db()
    assert operator.role == "operator" and operator.is_active
    # but may fix their own name
    response = operator_client.post(
        reverse("accounts:user-update", args=[operator.pk]),
        {"last_name": "Операторова", "first_name": "Ольга", "email": "", "role": "operator"},
    )
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.last_name == "Операторова"


def test_deactivation_ends_the_sessions_and_reactivation_lets_back_in(
    world: World, operator_client: Client, school_coordinator: Any
) -> None:
    from profdev.common.tests.fixtures import PASSWORD

    school = Client()
    assert school.login(username="school_a", password=PASSWORD)
    url = reverse("accounts:user-set-active", args=[school_coordinator.pk])
    assert operator_client.post(url, {"active": "0"}).status_code == 302
    assert school.get(reverse("home")).status_code == 302
    assert not school.login(username="school_a", password=PASSWORD)
    assert operator_client.post(url, {"active": "1"}).status_code == 302
    assert school.login(username="school_a", password=PASSWORD)
    reasons = school_coordinator.history.exclude(history_change_reason=None).order_by(
        "history_date"
    )
    assert list(reasons.values_list("history_change_reason", flat=True)) == [
        "deactivated",
        "activated",
    ]


def test_a_temporary_password_obeys_the_validators_and_ends_the_sessions(
    world: World, operator_client: Client, school_coordinator: Any
) -> None:
    from profdev.common.tests.fixtures import PASSWORD

    school = Client()
    assert school.login(username="school_a", password=PASSWORD)
    url = reverse("accounts:user-password", args=[school_coordinator.pk])
    response = operator_client.post(url, {"password1": "school_a1", "password2": "school_a1"})
    assert response.status_code == 200
    assert response.context["password_form"].errors["password1"]
    school_coordinator.refresh_from_db()
    assert school_coordinator.check_password(PASSWORD)
    response = operator_client.post(url, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302
    school_coordinator.refresh_from_db()
    assert school_coordinator.check_password(GOOD_PASSWORD)
    assert school.get(reverse("home")).status_code == 302  # logged out everywhere
    reason = school_coordinator.history.latest("history_date").history_change_reason
    assert reason == "password set by the regional operator"
    assert "password" not in [f.name for f in school_coordinator.history.model._meta.fields]
