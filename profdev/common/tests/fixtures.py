"""Shared pytest fixtures: a small world of two regions and named users for every role.

World: Томская область with Томский район (schools A and B) and Асиновский район (school C);
Новосибирская область with one municipality and school D. Named users: operator, official,
methodist, tomsk_district_coordinator, asino_coordinator, school_coordinator (school A),
teacher_user (a teacher of school A), other_region_operator.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from profdev.accounts.choices import Role
from profdev.common.tests.factories import (
    CenterStaffFactory,
    MunicipalityFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    teacher_at,
)

PASSWORD = "secret-pass-123"


@dataclass
class World:
    tomsk: Any
    nsk: Any
    tomsk_district: Any
    asino: Any
    nsk_city: Any
    school_a: Any
    school_b: Any
    school_c: Any
    school_d: Any
    center: Any
    teacher_a: Any
    teacher_b: Any
    teacher_c: Any
    teacher_d: Any
    staff: Any


@pytest.fixture
def world(db: Any) -> World:
    tomsk = RegionFactory(name="Томская область", code="70")
    nsk = RegionFactory(name="Новосибирская область", code="54")
    tomsk_district = MunicipalityFactory(region=tomsk, name="Томский район")
    asino = MunicipalityFactory(region=tomsk, name="Асиновский район")
    tomsk_city = MunicipalityFactory(region=tomsk, name="Город Томск", kind="city_district")
    nsk_city = MunicipalityFactory(region=nsk, name="Город Новосибирск", kind="city_district")
    school_a = OrganizationFactory(municipality=tomsk_district, name="МБОУ «Корниловская СОШ»")
    school_b = OrganizationFactory(municipality=tomsk_district, name="МБОУ «Богашёвская СОШ»")
    school_c = OrganizationFactory(municipality=asino, name="МАОУ «СОШ № 1 г. Асино»")
    school_d = OrganizationFactory(municipality=nsk_city, name="МБОУ СОШ № 10 г. Новосибирска")
    center = OrganizationFactory(
        municipality=tomsk_city, name="ТОИПКРО", kind="other", is_center=True
    )
    return World(
        tomsk=tomsk,
        nsk=nsk,
        tomsk_district=tomsk_district,
        asino=asino,
        nsk_city=nsk_city,
        school_a=school_a,
        school_b=school_b,
        school_c=school_c,
        school_d=school_d,
        center=center,
        teacher_a=teacher_at(school_a, last_name="Алексеева", first_name="Анна"),
        teacher_b=teacher_at(school_b, last_name="Борисова", first_name="Белла"),
        teacher_c=teacher_at(school_c, last_name="Васильева", first_name="Вера"),
        teacher_d=teacher_at(school_d, last_name="Григорьева", first_name="Галина"),
        staff=CenterStaffFactory(organization=center),
    )


@pytest.fixture
def operator(world: World) -> Any:
    return UserFactory(username="operator", role=Role.OPERATOR, region=world.tomsk)


@pytest.fixture
def official(world: World) -> Any:
    return UserFactory(username="official", role=Role.OFFICIAL, region=world.tomsk)


@pytest.fixture
def methodist(world: World) -> Any:
    return UserFactory(
        username="methodist", role=Role.METHODIST, region=world.tomsk, staff_member=world.staff
    )


@pytest.fixture
def tomsk_district_coordinator(world: World) -> Any:
    return UserFactory(
        username="tomsk_district",
        role=Role.MUNICIPAL,
        region=world.tomsk,
        municipality=world.tomsk_district,
    )


@pytest.fixture
def asino_coordinator(world: World) -> Any:
    return UserFactory(
        username="asino", role=Role.MUNICIPAL, region=world.tomsk, municipality=world.asino
    )


@pytest.fixture
def school_coordinator(world: World) -> Any:
    return UserFactory(
        username="school_a",
        role=Role.SCHOOL,
        region=world.tomsk,
        municipality=world.tomsk_district,
        organization=world.school_a,
    )


@pytest.fixture
def teacher_user(world: World) -> Any:
    return UserFactory(
        username="teacher_a", role=Role.TEACHER, region=world.tomsk, teacher=world.teacher_a
    )


@pytest.fixture
def other_region_operator(world: World) -> Any:
    return UserFactory(username="nsk_operator", role=Role.OPERATOR, region=world.nsk)


ROLE_FIXTURES = [
    "operator",
    "official",
    "methodist",
    "tomsk_district_coordinator",
    "asino_coordinator",
    "school_coordinator",
    "teacher_user",
    "other_region_operator",
]


@pytest.fixture
def login(client: Client) -> Any:
    """`login(user)` returns a client logged in as that user."""

    def as_user(user: Any) -> Client:
        client.force_login(user)
        return client

    return as_user


@pytest.fixture(autouse=True)
def _empty_page_cache() -> None:
    """Pages stored in memory by one test are never served to the next (`common.page_cache`)."""
    from profdev.common import page_cache

    page_cache.PAGES.clear()
