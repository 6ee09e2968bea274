"""Every learning and events list filters by year, municipality, organization and status, and the
XLSX export holds exactly the filtered rows."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from profdev.events.models import EventParticipation
from profdev.events.tests.factories import EventFactory
from profdev.learning.choices import EnrollmentStatus, RouteStatus
from profdev.learning.models import DiagnosticScore
from profdev.learning.tests.factories import (
    CohortFactory,
    DiagnosticFactory,
    EnrollmentFactory,
    ProgramFactory,
    RouteFactory,
    StaffTrainingFactory,
    area,
)

D = datetime.date


def _export_rows(client, url: str, query: str) -> int:
    response = client.get(f"{url}?{query}&export=xlsx" if query else f"{url}?export=xlsx")
    assert response.status_code == 200
    content = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    book = openpyxl.load_workbook(io.BytesIO(content))
    return book.active.max_row - 1  # without the header


@pytest.fixture
def records(world):
    """Teacher A (Томский район, school A) in 2023, teacher C (Асиновский район) in 2024."""
    a, c = world.teacher_a, world.teacher_c
    RouteFactory(teacher=a, status=RouteStatus.APPROVED)
    RouteFactory(
        teacher=c, developed_on=D(2024, 2, 1), planned_end=D(2024, 12, 1), status="completed"
    )
    with_deficit = DiagnosticFactory(teacher=a)
    DiagnosticScore.objects.create(
        diagnostic=with_deficit, area=area("digital"), score=30, threshold=60
    )
    fine = DiagnosticFactory(teacher=c, conducted_on=D(2024, 1, 10))
    DiagnosticScore.objects.create(diagnostic=fine, area=area("digital"), score=90, threshold=60)
    program_a, program_c = ProgramFactory(title="Программа А"), ProgramFactory(title="Программа В")
    EnrollmentFactory(teacher=a, cohort=CohortFactory(program=program_a))
    EnrollmentFactory(
        teacher=c,
        cohort=CohortFactory(program=program_c, start_date=D(2024, 3, 1), end_date=D(2024, 4, 1)),
        status=EnrollmentStatus.COMPLETED,
        completion_date=D(2024, 4, 1),
        certificate_number="1",
    )
    StaffTrainingFactory(
        staff=world.staff, start_date=D(2022, 4, 1), end_date=D(2022, 5, 1), completed_on=None
    )
    StaffTrainingFactory(
        staff=world.staff,
        start_date=D(2024, 4, 1),
        end_date=D(2024, 5, 1),
        completed_on=D(2024, 5, 1),
    )
    held = EventFactory(region=world.tomsk, start_date=D(2023, 3, 15), organizer_organization=None)
    EventParticipation.objects.create(event=held, teacher=a)
    upcoming = EventFactory(region=world.tomsk, start_date=D(2099, 3, 15))
    EventParticipation.objects.create(event=upcoming, organization=world.school_c)
    return world


@pytest.mark.parametrize(
    ("name", "query", "expected"),
    [
        ("learning:route-list", "", 2),
        ("learning:route-list", "year=2023", 1),
        ("learning:route-list", "municipality={asino}", 1),
        ("learning:route-list", "organization={school_a}", 1),
        ("learning:route-list", "status=completed", 1),
        ("learning:route-list", "status=draft", 0),
        ("learning:diagnostic-list", "year=2024", 1),
        ("learning:diagnostic-list", "municipality={tomsk_district}", 1),
        ("learning:diagnostic-list", "organization={school_b}", 0),
        ("learning:diagnostic-list", "status=deficits", 1),
        ("learning:diagnostic-list", "status=no_deficits&year=2024", 1),
        ("learning:enrollment-list", "year=2023", 1),
        ("learning:enrollment-list", "municipality={asino}", 1),
        ("learning:enrollment-list", "organization={school_a}&status=completed", 0),
        ("learning:enrollment-list", "status=completed", 1),
        ("learning:program-list", "year=2024", 1),
        ("learning:program-list", "municipality={asino}", 1),
        ("learning:program-list", "organization={school_a}", 1),
        ("learning:program-list", "organization={school_b}", 0),
        ("learning:stafftraining-list", "year=2024", 1),
        ("learning:stafftraining-list", "completed=false", 1),
        ("events:event-list", "year=2023", 1),
        ("events:event-list", "organization={school_a}", 1),  # its teacher took part
        ("events:event-list", "organization={school_c}", 1),  # the school took part
        ("events:event-list", "status=held", 1),
        ("events:event-list", "status=planned", 1),
    ],
)
def test_list_filters_and_export(records, operator, login, name, query, expected):
    world = records
    query = query.format(
        asino=world.asino.pk,
        tomsk_district=world.tomsk_district.pk,
        school_a=world.school_a.pk,
        school_b=world.school_b.pk,
        school_c=world.school_c.pk,
    )
    client = login(operator)
    url = reverse(name)
    page = client.get(f"{url}?{query}")
    assert page.status_code == 200
    assert _export_rows(client, url, query) == expected
