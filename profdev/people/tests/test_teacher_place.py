"""TeacherPlace follows every kind of employment write, and the teacher list read from it shows
exactly the teachers the scoping rule shows, in name order."""

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from profdev.common.tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    TeacherFactory,
    teacher_at,
)
from profdev.orgs.scoping import scope_of
from profdev.people import selectors, services
from profdev.people.models import Employment, Teacher, TeacherPlace
from profdev.people.places import PLACE_COLUMNS
from profdev.people.tables import TeachersByPlace

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


def expected_places() -> set[tuple[Any, ...]]:
    """What TeacherPlace must hold: every employment with its organization's place and the
    teacher's name, read from the source tables."""
    return {
        (
            e.pk,
            e.teacher_id,
            e.organization_id,
            e.organization.municipality_id,
            e.organization.region_id,
            e.start_date,
            e.end_date,
            e.teacher.last_name,
            e.teacher.first_name,
            e.teacher.middle_name,
        )
        for e in Employment.objects.select_related("organization", "teacher")
    }


def stored_places() -> set[tuple[Any, ...]]:
    return set(TeacherPlace.objects.values_list(*PLACE_COLUMNS))


def assert_places_follow() -> None:
    assert stored_places() == expected_places()


def test_existing_employments_have_places(world) -> None:  # type: ignore[no-untyped-def]
    assert len(stored_places()) == Employment.objects.count() > 0
    assert_places_follow()


def test_services_create_end_and_rename(world, operator) -> None:  # type: ignore[no-untyped-def]
    teacher = services.teacher_create(
        user=operator,
        last_name="Новикова",
        first_name="Ольга",
        snils="112-233-445 95",
        organization=world.school_a,
        start_date=datetime.date(2024, 9, 1),
    )
    assert_places_follow()
    employment = services.employment_create(
        user=operator,
        teacher=teacher,
        organization=world.school_c,
        start_date=datetime.date(2025, 1, 1),
        kind="part_time",
    )
    assert_places_follow()
    services.employment_end(user=operator, employment=employment, end_date=YESTERDAY)
    assert_places_follow()
    services.teacher_update(user=operator, teacher=teacher, last_name="Старикова")
    assert_places_follow()
    assert set(
        TeacherPlace.objects.filter(teacher=teacher).values_list("last_name", flat=True)
    ) == {"Старикова"}


def test_move_delete_and_organization_moved(world) -> None:  # type: ignore[no-untyped-def]
    employment = Employment.objects.get(teacher=world.teacher_a)
    employment.organization = world.school_d  # moved to another region
    employment.save()
    assert_places_follow()
    # The school itself moves to another municipality of another region.
    other: Any = MunicipalityFactory(region=world.tomsk, name="Кожевниковский район")
    world.school_d.municipality = other
    world.school_d.region = world.tomsk
    world.school_d.save()
    assert_places_follow()
    assert TeacherPlace.objects.get(employment=employment).municipality_id == other.pk
    employment.delete()
    assert_places_follow()
    world.teacher_b.delete()  # its employments go with it
    assert_places_follow()
    assert not TeacherPlace.objects.filter(teacher_id=world.teacher_b.pk).exists()


def test_bulk_queryset_and_raw_sql_writes(world) -> None:  # type: ignore[no-untyped-def]
    teachers: list[Any] = [TeacherFactory() for _ in range(3)]
    bulk_create_with_history(
        [
            Employment(teacher=t, organization=world.school_b, start_date=datetime.date(2024, 1, 1))
            for t in teachers
        ],
        Employment,
    )
    assert_places_follow()
    Employment.objects.filter(teacher__in=teachers).update(end_date=YESTERDAY)
    Employment.objects.filter(organization=world.school_c).update(organization=world.school_a)
    Teacher.objects.filter(pk=teachers[0].pk).update(middle_name="Ивановна")
    assert_places_follow()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO people_employment (teacher_id, organization_id, position, "
            "is_management, kind, start_date) VALUES (%s, %s, 'teacher', false, 'main', %s)",
            [teachers[1].pk, world.school_c.pk, datetime.date(2025, 2, 1)],
        )
        cursor.execute("DELETE FROM people_employment WHERE teacher_id = %s", [teachers[2].pk])
    assert_places_follow()
    Employment.objects.filter(teacher__in=teachers).delete()
    assert_places_follow()


def test_a_rolled_back_write_leaves_no_place(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), transaction.atomic():
        teacher_at(world.school_a)
        raise RuntimeError
    assert_places_follow()


def test_an_import_keeps_places(world, operator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from profdev.imports.services import import_run
    from profdev.imports.tests.helpers import HEADER, teacher_row, write_xlsx

    rows = [HEADER, *(teacher_row(n, world.school_a.name, last=f"Импортова{n}") for n in (1, 2))]
    path = write_xlsx(tmp_path / "teachers.xlsx", rows)
    summary = import_run(
        user=operator, kind="teachers", path=str(path), filename="teachers.xlsx", commit=True
    )
    assert not summary.get("error"), summary
    assert TeacherPlace.objects.filter(last_name__startswith="Импортова").count() == 2
    assert_places_follow()


def test_an_import_of_known_teachers_keeps_places(world, operator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The importer writes the places of its employments itself on PostgreSQL: a known teacher
    taking a job at a school of another municipality and renamed in the same file, a new
    teacher without a patronymic, a known one at the school where they already work."""
    from profdev.common.identifiers import format_snils
    from profdev.imports.services import import_run
    from profdev.imports.tests.helpers import HEADER, teacher_row, write_xlsx

    moving, staying = world.teacher_a, world.teacher_b
    staying_school = staying.employments.get().organization
    rows = [
        HEADER,
        teacher_row(
            1,
            world.school_c.name,
            last="Переименованная",
            first=moving.first_name,
            middle=moving.middle_name,
            snils=format_snils(moving.snils),
        ),
        teacher_row(2, world.school_b.name, last="Безотчества", middle=""),
        teacher_row(
            3,
            staying_school.name,
            last=staying.last_name,
            first=staying.first_name,
            middle=staying.middle_name,
            snils=format_snils(staying.snils),
        ),
    ]
    path = write_xlsx(tmp_path / "teachers.xlsx", rows)
    summary = import_run(
        user=operator, kind="teachers", path=str(path), filename="teachers.xlsx", commit=True
    )
    assert (summary["created"], summary["rejected"], summary["committed"]) == (1, 0, True), summary
    assert set(
        TeacherPlace.objects.filter(teacher=moving).values_list("organization_id", "last_name")
    ) == {(world.school_a.pk, "Переименованная"), (world.school_c.pk, "Переименованная")}
    assert_places_follow()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement trigger")
def test_places_written_here_bypasses_the_trigger_only_inside(world) -> None:  # type: ignore[no-untyped-def]
    from profdev.people.places import places_written_here

    teacher = world.teacher_a
    with transaction.atomic():
        with places_written_here():
            inside = Employment.objects.create(
                teacher=teacher, organization=world.school_b, start_date=TODAY
            )
        after = Employment.objects.create(
            teacher=teacher, organization=world.school_c, start_date=TODAY
        )
        with pytest.raises(RuntimeError), places_written_here():
            raise RuntimeError("an error inside the block")
        later = Employment.objects.create(
            teacher=teacher, organization=world.school_d, start_date=TODAY
        )
    places = set(TeacherPlace.objects.values_list("employment_id", flat=True))
    assert inside.pk not in places  # the caller had to write it
    assert {after.pk, later.pk} <= places  # the trigger is back after the block, error or not


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's row triggers")
def test_places_written_here_is_postgresql_only(db) -> None:  # type: ignore[no-untyped-def]
    from profdev.people.places import places_written_here

    with pytest.raises(NotImplementedError), places_written_here():
        pass


@pytest.fixture
def crowd(world) -> None:  # type: ignore[no-untyped-def]
    """Teachers that test the rule's edges: two jobs at one node, a job in two regions, a job
    that ended yesterday, one that starts tomorrow, and namesakes."""
    two_jobs = teacher_at(world.school_a, last_name="Дмитриева", first_name="Дарья")
    EmploymentFactory(teacher=two_jobs, organization=world.school_b, kind="part_time")
    two_regions = teacher_at(world.school_c, last_name="Егорова", first_name="Ева")
    EmploymentFactory(teacher=two_regions, organization=world.school_d, kind="part_time")
    teacher_at(world.school_a, last_name="Жукова", employment_end_date=YESTERDAY)
    teacher_at(world.school_b, last_name="Зайцева", employment_start_date=TOMORROW)
    for _ in range(4):
        teacher_at(world.school_a, last_name="Иванова", first_name="Ирина", middle_name="")
    extra = OrganizationFactory(municipality=world.tomsk_district, name="МБОУ «Новая СОШ»")
    for n in range(30):
        teacher_at(extra, last_name=f"Кузнецова{n:02d}")


@pytest.mark.parametrize(
    "user_fixture",
    ["official", "tomsk_district_coordinator", "asino_coordinator", "school_coordinator"],
)
def test_list_by_places_equals_the_scoping_rule(crowd, request, user_fixture) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(user_fixture)
    expected = list(
        Teacher.objects.for_user(user)
        .order_by("last_name", "first_name", "middle_name", "pk")
        .values_list("pk", flat=True)
    )
    scope = scope_of(user)
    data = TeachersByPlace(
        selectors.teacher_list(user=user), scope=scope, stamps=selectors.place_stamps(scope)
    )
    assert len(data) == len(expected) > 0
    assert [t.pk for t in data[0 : len(data)]] == expected
    pages = [t.pk for start in range(0, len(expected), 7) for t in data[start : start + 7]]
    assert pages == expected
    data.order_by(["-full_name"])
    assert [t.pk for t in data[0 : len(data)]] == expected[::-1]


def test_the_page_shows_the_same_teachers(crowd, official, login) -> None:  # type: ignore[no-untyped-def]
    client = login(official)
    visible = Teacher.objects.for_user(official)
    total = visible.count()
    assert total > 25
    response = client.get(reverse("people:teacher-list"), {"page": 2})
    assert isinstance(response.context["table"].data, TeachersByPlace)
    assert response.context["table"].paginator.count == total
    shown = [row.record.pk for row in response.context["table"].page.object_list]
    ordered = list(
        visible.order_by("last_name", "first_name", "middle_name", "pk").values_list(
            "pk", flat=True
        )
    )
    assert shown == ordered[25:50]
    # Sorted by another column or filtered: the queryset as before.
    response = client.get(reverse("people:teacher-list"), {"sort": "position"})
    assert not response.context["table"].data.by_places
    assert response.context["table"].paginator.count == total
    response = client.get(reverse("people:teacher-list"), {"q": "Кузнецова"})
    assert not isinstance(response.context["table"].data, TeachersByPlace)
    assert response.context["table"].paginator.count == 30


def test_teacher_table_body_is_django_tables2_markup(crowd, world, official, rf) -> None:  # type: ignore[no-untyped-def]
    import re

    from django.template.loader import render_to_string

    from profdev.people.tables import TeacherTable

    young = teacher_at(world.school_a, last_name="Аааева", career_start=TODAY)
    young.employments.update(position="director")
    unnamed = OrganizationFactory(
        municipality=world.asino, name="МБОУ «Без краткого»", short_name=""
    )
    teacher_at(unnamed, last_name="Аааб")  # an empty cell: "—"
    request = rf.get("/people/teachers/")
    request.user = official

    def body(template: str) -> str:
        table = TeacherTable(selectors.teacher_list(user=official), request=request)
        table.paginate(page=1, per_page=50)
        html = render_to_string(template, {"table": table}, request=request)
        tbody = html[html.index("<tbody") : html.index("</tbody>")]
        return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", tbody))

    fast = body("people/teacher_table.html")
    assert fast == body("common/table.html")
    assert "✔" in fast and "Директор" in fast and "—" in fast
