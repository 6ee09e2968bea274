import datetime

import pytest

from profdev.learning.models import Diagnostic, Enrollment, Route
from profdev.learning.tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    RouteFactory,
    RouteStepFactory,
    area,
)

D = datetime.date
API = "/api/v1/"


@pytest.fixture
def routes(world):
    return RouteFactory(teacher=world.teacher_a), RouteFactory(teacher=world.teacher_d)


def test_routes_scoped_in_api(routes, school_coordinator, other_region_operator, login):
    route_a, _route_d = routes
    data = login(school_coordinator).get(API + "routes/").json()
    ids = [row["id"] for row in data.get("results", data)]
    assert ids == [route_a.pk]
    assert login(other_region_operator).get(f"{API}routes/{route_a.pk}/").status_code == 404


def test_methodist_creates_diagnostic_and_route_via_api(world, methodist, login):
    client = login(methodist)
    response = client.post(
        API + "diagnostics/",
        {
            "teacher": world.teacher_a.pk,
            "conducted_on": "2024-01-10",
            "instrument": "ФИОКО",
            "scores": [
                {"area": area("digital").pk, "score": "35"},
                {"area": area("subject").pk, "score": "90"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    diagnostic = Diagnostic.objects.get()
    response = client.post(
        API + "routes/",
        {
            "teacher": world.teacher_a.pk,
            "developed_on": "2024-02-01",
            "planned_end": "2024-12-01",
            "diagnostic": diagnostic.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    route = Route.objects.get()
    assert [a.code for a in route.deficits.all()] == ["digital"]
    RouteStepFactory(route=route)
    response = client.post(
        f"{API}routes/{route.pk}/transition/",
        {"status": "approved"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"


def test_route_for_teacher_outside_scope_via_api(world, methodist, login):
    response = login(methodist).post(
        API + "routes/",
        {"teacher": world.teacher_d.pk, "developed_on": "2024-02-01", "planned_end": "2024-12-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Route.objects.exists()


def test_enrollment_twice_and_certificate_reuse_via_api(world, methodist, login):
    client = login(methodist)
    cohort = CohortFactory()
    body = {"cohort": cohort.pk, "teacher": world.teacher_a.pk}
    assert (
        client.post(API + "enrollments/", body, content_type="application/json").status_code == 201
    )
    response = client.post(API + "enrollments/", body, content_type="application/json")
    assert response.status_code == 400
    assert "уже зачислен" in response.content.decode()
    first = Enrollment.objects.get()
    other = EnrollmentFactory(teacher=world.teacher_b, cohort=CohortFactory(program=cohort.program))
    ok = client.post(
        f"{API}enrollments/{first.pk}/complete/",
        {"completion_date": "2023-03-30", "certificate_number": "A-1"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    bad = client.post(
        f"{API}enrollments/{other.pk}/complete/",
        {"completion_date": "2023-03-30", "certificate_number": "A-1"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "уже выдано" in bad.content.decode()


def test_school_cannot_write_enrollments_via_api(world, school_coordinator, login):
    response = login(school_coordinator).post(
        API + "enrollments/",
        {"cohort": CohortFactory().pk, "teacher": world.teacher_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_programs_listed(world, teacher_user, login):
    CohortFactory()
    assert login(teacher_user).get(API + "programs/").status_code == 200
    assert login(teacher_user).get(API + "competence-areas/").json()
