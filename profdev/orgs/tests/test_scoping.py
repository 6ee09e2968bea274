"""Each role sees exactly its part of the tree: in list pages, the API and exports."""

import io

import openpyxl
import pytest
from django.urls import reverse

from profdev.orgs.models import Organization
from profdev.orgs.scoping import Action
from profdev.people.models import Teacher

# role fixture -> (schools visible, teachers visible), by the world's names
EXPECTED = {
    "operator": ({"a", "b", "c", "center"}, {"a", "b", "c"}),
    "official": ({"a", "b", "c", "center"}, {"a", "b", "c"}),
    "methodist": ({"a", "b", "c", "center"}, {"a", "b", "c"}),
    "tomsk_district_coordinator": ({"a", "b"}, {"a", "b"}),
    "asino_coordinator": ({"c"}, {"c"}),
    "school_coordinator": ({"a"}, {"a"}),
    "teacher_user": (set(), {"a"}),
    "other_region_operator": ({"d"}, {"d"}),
}


def _names(world, kind: str) -> dict:  # type: ignore[no-untyped-def]
    if kind == "org":
        return {
            world.school_a.pk: "a",
            world.school_b.pk: "b",
            world.school_c.pk: "c",
            world.school_d.pk: "d",
            world.center.pk: "center",
        }
    return {
        world.teacher_a.pk: "a",
        world.teacher_b.pk: "b",
        world.teacher_c.pk: "c",
        world.teacher_d.pk: "d",
    }


@pytest.mark.parametrize("role", EXPECTED)
def test_queryset_scope_per_role(role, world, request) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(role)
    schools, teachers = EXPECTED[role]
    org_names = _names(world, "org")
    teacher_names = _names(world, "teacher")
    assert {org_names[o.pk] for o in Organization.objects.for_user(user)} == schools
    assert {teacher_names[t.pk] for t in Teacher.objects.for_user(user)} == teachers


@pytest.mark.parametrize("role", EXPECTED)
def test_api_scope_per_role(role, world, request, login) -> None:  # type: ignore[no-untyped-def]
    client = login(request.getfixturevalue(role))
    schools, teachers = EXPECTED[role]
    org_names, teacher_names = _names(world, "org"), _names(world, "teacher")
    orgs = client.get("/api/v1/organizations/?page_size=500").json()["results"]
    assert {org_names[o["id"]] for o in orgs} == schools
    people = client.get("/api/v1/teachers/?page_size=500").json()["results"]
    assert {teacher_names[t["id"]] for t in people} == teachers
    for pk, name in teacher_names.items():
        status = client.get(f"/api/v1/teachers/{pk}/").status_code
        assert status == (200 if name in teachers else 404), (role, name)


@pytest.mark.parametrize("role", [r for r in EXPECTED if r != "teacher_user"])
def test_list_page_and_export_scope_per_role(role, world, request, login) -> None:  # type: ignore[no-untyped-def]
    client = login(request.getfixturevalue(role))
    _schools, teachers = EXPECTED[role]
    page = client.get(reverse("people:teacher-list")).content.decode()
    for teacher, name in (
        (world.teacher_a, "a"),
        (world.teacher_b, "b"),
        (world.teacher_c, "c"),
        (world.teacher_d, "d"),
    ):
        assert (teacher.last_name in page) == (name in teachers), (role, name)
    response = client.get(reverse("people:teacher-list") + "?export=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    exported = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    expected_names = {
        t.full_name
        for t, n in (
            (world.teacher_a, "a"),
            (world.teacher_b, "b"),
            (world.teacher_c, "c"),
            (world.teacher_d, "d"),
        )
        if n in teachers
    }
    assert exported == expected_names


def test_tomsk_district_coordinator_sees_only_district_in_search(
    world, tomsk_district_coordinator, login
) -> None:  # type: ignore[no-untyped-def]
    client = login(tomsk_district_coordinator)
    page = client.get(
        reverse("people:teacher-list"), {"q": world.teacher_c.last_name}
    ).content.decode()
    assert reverse("people:teacher-detail", args=[world.teacher_c.pk]) not in page
    assert "Ничего не найдено" in page
    org_page = client.get(reverse("orgs:organization-list"), {"q": "Асино"}).content.decode()
    assert reverse("orgs:organization-detail", args=[world.school_c.pk]) not in org_page


def test_detail_outside_scope_is_404(world, tomsk_district_coordinator, login) -> None:  # type: ignore[no-untyped-def]
    client = login(tomsk_district_coordinator)
    assert (
        client.get(reverse("people:teacher-detail", args=[world.teacher_c.pk])).status_code == 404
    )
    assert (
        client.get(reverse("orgs:organization-detail", args=[world.school_c.pk])).status_code == 404
    )
    assert (
        client.get(reverse("people:teacher-detail", args=[world.teacher_a.pk])).status_code == 200
    )


def test_official_is_read_only(world, official) -> None:  # type: ignore[no-untyped-def]
    assert Teacher.objects.for_user(official, Action.CHANGE).count() == 0
    assert Teacher.objects.for_user(official).count() == 3


def test_ended_employment_leaves_scope(world, tomsk_district_coordinator) -> None:  # type: ignore[no-untyped-def]
    employment = world.teacher_a.employments.get()
    employment.end_date = employment.start_date
    employment.save()
    assert (
        not Teacher.objects.for_user(tomsk_district_coordinator)
        .filter(pk=world.teacher_a.pk)
        .exists()
    )


def test_anonymous_is_redirected_to_login(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("people:teacher-list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get("/api/v1/teachers/").status_code in (401, 403)
