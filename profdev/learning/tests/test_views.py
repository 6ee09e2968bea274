import datetime

import pytest
from django.urls import reverse

from profdev.learning import services
from profdev.learning.choices import RouteStatus
from profdev.learning.models import Diagnostic, Enrollment, Route, StaffTraining
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


@pytest.fixture
def records(world):
    return {
        "route_a": RouteFactory(teacher=world.teacher_a),
        "route_d": RouteFactory(teacher=world.teacher_d),
        "diag_a": DiagnosticFactory(teacher=world.teacher_a),
        "enr_a": EnrollmentFactory(teacher=world.teacher_a),
        "enr_c": EnrollmentFactory(teacher=world.teacher_c),
        "training": StaffTrainingFactory(staff=world.staff),
    }


@pytest.mark.parametrize(
    "name",
    [
        "learning:route-list",
        "learning:diagnostic-list",
        "learning:program-list",
        "learning:enrollment-list",
        "learning:stafftraining-list",
        "learning:deficit-closure",
    ],
)
def test_lists_open_and_export(records, methodist, login, name):
    client = login(methodist)
    assert client.get(reverse(name)).status_code == 200
    response = client.get(reverse(name) + "?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxml")


def test_index_redirects(methodist, login):
    assert login(methodist).get(reverse("learning:index")).status_code == 302


def test_school_sees_only_its_teachers_routes(records, school_coordinator, login):
    client = login(school_coordinator)
    assert client.get(records["route_a"].get_absolute_url()).status_code == 200
    assert client.get(records["route_d"].get_absolute_url()).status_code == 404
    assert client.get(records["enr_c"].get_absolute_url()).status_code == 404
    page = client.get(reverse("learning:enrollment-list")).content.decode()
    assert "Алексеева" in page and "Васильева" not in page


def test_other_region_operator_gets_404(records, other_region_operator, login):
    client = login(other_region_operator)
    assert client.get(records["route_a"].get_absolute_url()).status_code == 404
    assert client.get(records["diag_a"].get_absolute_url()).status_code == 404
    assert client.get(records["training"].get_absolute_url()).status_code == 404


def test_school_coordinator_cannot_create_route(world, school_coordinator, login):
    url = reverse("learning:route-create", args=[world.teacher_a.pk])
    assert login(school_coordinator).get(url).status_code == 403


def test_teacher_page_shows_learning_section(records, methodist, login, world):
    page = login(methodist).get(world.teacher_a.get_absolute_url()).content.decode()
    assert "Дефициты, маршрут и курсы" in page


def test_methodist_goes_from_diagnostic_to_approved_route(world, methodist, login):
    client = login(methodist)
    program = ProgramFactory(title="Цифровая дидактика")
    program.areas.set([area("digital")])
    CohortFactory(program=program, start_date=D(2024, 3, 1), end_date=D(2024, 3, 20))
    data = {
        "conducted_on": "2024-01-15",
        "instrument": "ФИОКО",
        f"area_{area('digital').pk}": "30",
        f"area_{area('subject').pk}": "85",
    }
    response = client.post(reverse("learning:diagnostic-create", args=[world.teacher_a.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    diagnostic = Diagnostic.objects.get()
    response = client.post(
        reverse("learning:route-create", args=[world.teacher_a.pk]),
        {
            "developed_on": "2024-02-01",
            "planned_end": "2024-12-31",
            "diagnostic": diagnostic.pk,
            "methodist": world.staff.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    route = Route.objects.get()
    page = client.get(route.get_absolute_url()).content.decode()
    assert "Цифровая дидактика" in page
    client.post(reverse("learning:route-propose", args=[route.pk]), {"program": [program.pk]})
    assert route.steps.get().planned_start == D(2024, 3, 1)
    client.post(reverse("learning:route-transition", args=[route.pk]), {"status": "approved"})
    route.refresh_from_db()
    assert route.status == RouteStatus.APPROVED


def test_step_outside_route_shows_message(world, methodist, login):
    route = RouteFactory(teacher=world.teacher_a)
    response = login(methodist).post(
        reverse("learning:step-create", args=[route.pk]),
        {
            "kind": "self_study",
            "title": "Чтение",
            "planned_start": "2022-01-01",
            "planned_end": "2023-03-01",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "вне периода маршрута" in response.content.decode()
    assert not route.steps.exists()


def test_enrollment_twice_via_page(world, methodist, login):
    cohort = CohortFactory()
    client = login(methodist)
    url = reverse("learning:enrollment-create", args=[cohort.pk])
    assert client.post(url, {"teacher": world.teacher_a.pk}).status_code == 302
    response = client.post(url, {"teacher": world.teacher_a.pk})
    assert response.status_code == 200
    assert "уже зачислен" in response.content.decode()
    assert Enrollment.objects.count() == 1


def test_complete_enrollment_page_rejects_early_date(world, methodist, login):
    enrollment = EnrollmentFactory(teacher=world.teacher_a)
    url = reverse("learning:enrollment-complete", args=[enrollment.pk])
    response = login(methodist).post(url, {"completion_date": "2020-01-01"})
    assert "раньше начала потока" in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.completion_date is None


def test_staff_training_created_by_operator(world, operator, login):
    response = login(operator).post(
        reverse("learning:stafftraining-create"),
        {
            "staff": world.staff.pk,
            "program_title": "Программа ФО",
            "start_date": "2024-04-01",
            "end_date": "2024-04-30",
            "completed_on": "2024-04-30",
        },
    )
    assert response.status_code == 302
    assert StaffTraining.objects.get().completed_on == D(2024, 4, 30)


def test_program_create_only_for_operator(world, operator, methodist, login):
    url = reverse("learning:program-create")
    assert login(methodist).get(url).status_code == 403
    response = login(operator).post(
        url,
        {
            "title": "Функциональная грамотность",
            "hours": 72,
            "format": "blended",
            "audience": "teachers",
            "provider": "center",
            "areas": [area("methodical").pk],
        },
    )
    assert response.status_code == 302


def test_route_status_is_recorded_via_service(world, methodist):
    route = services.route_create(
        user=methodist,
        teacher=world.teacher_a,
        developed_on=D(2024, 1, 1),
        planned_end=D(2024, 6, 1),
    )
    assert route.transitions.count() == 1


def test_diagnostic_edit_page_replaces_scores(world, methodist, login):
    diagnostic = services.diagnostic_create(
        user=methodist,
        teacher=world.teacher_a,
        conducted_on=D(2024, 1, 10),
        instrument="ФИОКО",
        scores={area("digital"): 35},
    )
    client = login(methodist)
    url = reverse("learning:diagnostic-update", args=[diagnostic.pk])
    form = client.get(url).content.decode()
    assert 'value="35.0"' in form  # recorded score is shown
    response = client.post(
        url,
        {"conducted_on": "2024-01-10", "instrument": "ФИОКО", f"area_{area('digital').pk}": "140"},
    )
    assert response.status_code == 200  # out of range: the form again, nothing saved
    assert diagnostic.scores.get().score == 35
    response = client.post(
        url,
        {"conducted_on": "2024-01-10", "instrument": "ФИОКО", f"area_{area('digital').pk}": "72"},
    )
    assert response.status_code == 302
    assert diagnostic.scores.get().score == 72


def test_route_edit_page_keeps_steps_inside(world, methodist, login):
    route = services.route_create(
        user=methodist,
        teacher=world.teacher_a,
        developed_on=D(2024, 2, 1),
        planned_end=D(2024, 12, 1),
    )
    services.route_step_create(
        user=methodist,
        route=route,
        kind="self_study",
        title="Чтение",
        planned_start=D(2024, 3, 1),
        planned_end=D(2024, 4, 1),
    )
    url = reverse("learning:route-update", args=[route.pk])
    response = login(methodist).post(
        url, {"developed_on": "2024-03-15", "planned_end": "2024-12-01", "notes": ""}
    )
    assert response.status_code == 200
    assert "выходят за новый период" in response.content.decode()
    route.refresh_from_db()
    assert route.developed_on == D(2024, 2, 1)
