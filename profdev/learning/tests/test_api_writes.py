"""Diagnostics and routes written through the API: the same scope and validation as the pages."""

import datetime

import pytest

from profdev.learning import services
from profdev.learning.choices import RouteStatus, StepKind
from profdev.learning.models import Diagnostic, DiagnosticScore, Route, RouteStep, RouteTransition
from profdev.learning.tests.factories import area

D = datetime.date
API = "/api/v1/"
JSON = "application/json"


def _scores(**values):
    return [{"area": area(code).pk, "score": str(value)} for code, value in values.items()]


@pytest.fixture
def diagnostic(world, methodist):
    return services.diagnostic_create(
        user=methodist,
        teacher=world.teacher_a,
        conducted_on=D(2024, 1, 10),
        instrument="ФИОКО",
        scores={area("digital"): 35, area("subject"): 90},
    )


@pytest.fixture
def route(world, methodist, diagnostic):
    return services.route_create(
        user=methodist,
        teacher=world.teacher_a,
        developed_on=D(2024, 2, 1),
        planned_end=D(2024, 12, 1),
        diagnostic=diagnostic,
    )


@pytest.fixture
def foreign(world, other_region_operator):
    """A diagnostic and a route of a teacher in another region (Новосибирская область)."""
    diagnostic = services.diagnostic_create(
        user=other_region_operator,
        teacher=world.teacher_d,
        conducted_on=D(2024, 1, 10),
        instrument="ФИОКО",
        scores={area("digital"): 35},
    )
    route = services.route_create(
        user=other_region_operator,
        teacher=world.teacher_d,
        developed_on=D(2024, 2, 1),
        planned_end=D(2024, 12, 1),
        diagnostic=diagnostic,
    )
    return diagnostic, route


# --- diagnostics -------------------------------------------------------------------------------


def test_update_diagnostic_with_scores(methodist, login, diagnostic):
    client = login(methodist)
    response = client.patch(
        f"{API}diagnostics/{diagnostic.pk}/",
        {"instrument": "ФИОКО, повторно", "scores": _scores(digital=75, methodical=40)},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    diagnostic.refresh_from_db()
    assert diagnostic.instrument == "ФИОКО, повторно"
    scores = {s.area.code: s.score for s in diagnostic.scores.select_related("area")}
    assert scores == {"digital": 75, "methodical": 40}  # "subject" removed
    deficits = [row["area"] for row in response.json()["scores"] if row["is_deficit"]]
    assert deficits == [area("methodical").pk]
    assert diagnostic.history.count() == 2  # audit: created, then changed
    # PATCH without scores keeps them
    client.patch(f"{API}diagnostics/{diagnostic.pk}/", {"notes": "уточнено"}, content_type=JSON)
    assert diagnostic.scores.count() == 2


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"scores": []}, "scores", "хотя бы по одной"),
        ({"scores": [{"area": 1, "score": "130"}]}, "scores", ""),
        ({"scores": [{"area": 999999, "score": "50"}]}, "scores", ""),
        ({"conducted_on": "31.02.2024"}, "conducted_on", ""),
        ({"instrument": ""}, "instrument", ""),
    ],
)
def test_update_diagnostic_bad_input(methodist, login, diagnostic, body, field, message):
    before = list(DiagnosticScore.objects.values_list("area_id", "score"))
    response = login(methodist).patch(f"{API}diagnostics/{diagnostic.pk}/", body, content_type=JSON)
    assert response.status_code == 400
    assert field in response.json()
    assert message in response.content.decode()
    assert list(DiagnosticScore.objects.values_list("area_id", "score")) == before
    diagnostic.refresh_from_db()
    assert diagnostic.instrument == "ФИОКО"


def test_diagnostic_with_an_area_twice_is_refused(world, methodist, login):
    response = login(methodist).post(
        API + "diagnostics/",
        {
            "teacher": world.teacher_a.pk,
            "conducted_on": "2024-01-10",
            "instrument": "ФИОКО",
            "scores": _scores(digital=30) + _scores(digital=80),
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "указан дважды" in response.content.decode()
    assert not Diagnostic.objects.exists()


def test_diagnostic_teacher_cannot_change(world, methodist, login, diagnostic):
    response = login(methodist).patch(
        f"{API}diagnostics/{diagnostic.pk}/", {"teacher": world.teacher_b.pk}, content_type=JSON
    )
    assert response.status_code == 400
    assert "Педагога изменить нельзя" in response.content.decode()
    diagnostic.refresh_from_db()
    assert diagnostic.teacher == world.teacher_a


def test_diagnostic_outside_scope(world, methodist, school_coordinator, login, foreign):
    foreign_diagnostic, _route = foreign
    client = login(methodist)
    response = client.patch(
        f"{API}diagnostics/{foreign_diagnostic.pk}/", {"notes": "x"}, content_type=JSON
    )
    assert response.status_code == 404
    response = client.post(
        API + "diagnostics/",
        {
            "teacher": world.teacher_d.pk,
            "conducted_on": "2024-01-10",
            "instrument": "ФИОКО",
            "scores": _scores(digital=30),
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "teacher" in response.json()
    foreign_diagnostic.refresh_from_db()
    assert foreign_diagnostic.notes == ""
    assert Diagnostic.objects.count() == 1
    # a school coordinator sees the school's diagnostics but may not write them
    school = login(school_coordinator)
    assert school.get(API + "diagnostics/").status_code == 200
    response = school.post(
        API + "diagnostics/",
        {
            "teacher": world.teacher_a.pk,
            "conducted_on": "2024-01-10",
            "instrument": "ФИОКО",
            "scores": _scores(digital=30),
        },
        content_type=JSON,
    )
    assert response.status_code == 403
    assert Diagnostic.objects.count() == 1


# --- routes ------------------------------------------------------------------------------------


def test_update_route(methodist, login, route):
    response = login(methodist).patch(
        f"{API}routes/{route.pk}/",
        {
            "planned_end": "2024-11-15",
            "notes": "согласовано с ОО",
            "deficits": [area("digital").pk, area("communicative").pk],
        },
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    route.refresh_from_db()
    assert route.planned_end == D(2024, 11, 15)
    assert {a.code for a in route.deficits.all()} == {"digital", "communicative"}
    assert route.status == RouteStatus.DRAFT


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"planned_end": "2024-01-01"}, "раньше даты разработки"),
        ({"developed_on": "2024-06-01"}, "выходят за новый период"),
        ({"status": "completed", "notes": "x"}, ""),  # status is read-only: only notes change
    ],
)
def test_update_route_bad_input(methodist, login, route, body, message):
    services.route_step_create(
        user=methodist,
        route=route,
        kind=StepKind.SELF_STUDY,
        title="Чтение",
        planned_start=D(2024, 3, 1),
        planned_end=D(2024, 4, 1),
    )
    response = login(methodist).patch(f"{API}routes/{route.pk}/", body, content_type=JSON)
    route.refresh_from_db()
    if message:
        assert response.status_code == 400
        assert message in response.content.decode()
        assert (route.developed_on, route.planned_end) == (D(2024, 2, 1), D(2024, 12, 1))
    else:
        assert response.status_code == 200
        assert route.status == RouteStatus.DRAFT


def test_closed_route_cannot_be_edited(methodist, login, route):
    services.route_step_create(
        user=methodist,
        route=route,
        kind=StepKind.SELF_STUDY,
        title="Чтение",
        planned_start=D(2024, 3, 1),
        planned_end=D(2024, 4, 1),
    )
    services.route_transition(user=methodist, route=route, to_status=RouteStatus.CANCELLED)
    response = login(methodist).patch(
        f"{API}routes/{route.pk}/", {"notes": "поздно"}, content_type=JSON
    )
    assert response.status_code == 400
    assert "изменять нельзя" in response.content.decode()
    route.refresh_from_db()
    assert route.notes == ""


def test_route_outside_scope(world, methodist, login, foreign, diagnostic):
    foreign_diagnostic, foreign_route = foreign
    client = login(methodist)
    assert client.get(f"{API}routes/{foreign_route.pk}/").status_code == 404
    response = client.patch(f"{API}routes/{foreign_route.pk}/", {"notes": "x"}, content_type=JSON)
    assert response.status_code == 404
    response = client.post(
        f"{API}routes/{foreign_route.pk}/transition/", {"status": "approved"}, content_type=JSON
    )
    assert response.status_code == 404
    # a route for one's own teacher from another region's diagnostic
    response = client.post(
        API + "routes/",
        {
            "teacher": world.teacher_a.pk,
            "developed_on": "2024-02-01",
            "planned_end": "2024-12-01",
            "diagnostic": foreign_diagnostic.pk,
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "diagnostic" in response.json()
    # another teacher's diagnostic of one's own region
    other = services.diagnostic_create(
        user=methodist,
        teacher=world.teacher_b,
        conducted_on=D(2024, 1, 10),
        instrument="ФИОКО",
        scores={area("digital"): 35},
    )
    response = client.post(
        API + "routes/",
        {
            "teacher": world.teacher_a.pk,
            "developed_on": "2024-02-01",
            "planned_end": "2024-12-01",
            "diagnostic": other.pk,
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "другого педагога" in response.content.decode()
    foreign_route.refresh_from_db()
    assert foreign_route.notes == "" and foreign_route.status == RouteStatus.DRAFT
    assert Route.objects.count() == 1  # only the foreign one


def test_route_create_bad_input(world, methodist, login):
    response = login(methodist).post(
        API + "routes/",
        {"teacher": world.teacher_a.pk, "developed_on": "2024-02-01", "planned_end": "2023-01-01"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "раньше даты разработки" in response.content.decode()
    assert not Route.objects.exists()


# --- steps and transitions --------------------------------------------------------------------


def test_steps_and_transitions_via_api(methodist, login, route):
    client = login(methodist)
    response = client.post(
        API + "route-steps/",
        {
            "route": route.pk,
            "kind": "self_study",
            "title": "Изучение материалов",
            "planned_start": "2024-03-01",
            "planned_end": "2024-05-01",
            "areas": [area("digital").pk],
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    step_id = response.json()["id"]
    response = client.patch(
        f"{API}route-steps/{step_id}/",
        {"status": "in_progress", "actual_start": "2024-03-02"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    for status in ("approved", "in_progress", "completed"):
        response = client.post(
            f"{API}routes/{route.pk}/transition/",
            {"status": status, "comment": f"→ {status}"},
            content_type=JSON,
        )
        assert response.status_code == 200, response.content
    transitions = RouteTransition.objects.filter(route=route)
    assert [t.to_status for t in transitions] == ["draft", "approved", "in_progress", "completed"]
    assert all(t.changed_by == methodist for t in transitions)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"planned_start": "2023-01-01"}, "planned_start", "вне периода маршрута"),
        ({"planned_end": "2024-02-15"}, "planned_end", "раньше начала"),
        ({"kind": "flight"}, "kind", ""),
        ({"evidence_link": "not a link"}, "evidence_link", ""),
    ],
)
def test_step_update_bad_input(methodist, login, route, body, field, message):
    step = services.route_step_create(
        user=methodist,
        route=route,
        kind=StepKind.SELF_STUDY,
        title="Чтение",
        planned_start=D(2024, 3, 1),
        planned_end=D(2024, 4, 1),
    )
    response = login(methodist).patch(f"{API}route-steps/{step.pk}/", body, content_type=JSON)
    assert response.status_code == 400
    assert field in response.json()
    assert message in response.content.decode()
    step.refresh_from_db()
    assert (step.kind, step.planned_start, step.planned_end) == (
        StepKind.SELF_STUDY,
        D(2024, 3, 1),
        D(2024, 4, 1),
    )


def test_step_outside_scope(world, methodist, login, foreign, route):
    _diagnostic, foreign_route = foreign
    client = login(methodist)
    response = client.post(
        API + "route-steps/",
        {
            "route": foreign_route.pk,
            "kind": "self_study",
            "title": "x",
            "planned_start": "2024-03-01",
            "planned_end": "2024-04-01",
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "route" in response.json()
    assert not RouteStep.objects.exists()
    step = services.route_step_create(
        user=None,
        route=foreign_route,
        kind=StepKind.SELF_STUDY,
        title="x",
        planned_start=D(2024, 3, 1),
        planned_end=D(2024, 4, 1),
    )
    response = client.patch(f"{API}route-steps/{step.pk}/", {"title": "y"}, content_type=JSON)
    assert response.status_code == 404
    # a step can't be moved into another route
    own = services.route_step_create(
        user=methodist,
        route=route,
        kind=StepKind.SELF_STUDY,
        title="x",
        planned_start=D(2024, 3, 1),
        planned_end=D(2024, 4, 1),
    )
    other_route = services.route_create(
        user=methodist,
        teacher=world.teacher_b,
        developed_on=D(2024, 2, 1),
        planned_end=D(2024, 12, 1),
    )
    response = client.patch(
        f"{API}route-steps/{own.pk}/", {"route": other_route.pk}, content_type=JSON
    )
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.route == route


def test_transition_bad_input(methodist, login, route):
    client = login(methodist)
    response = client.post(
        f"{API}routes/{route.pk}/transition/", {"status": "approved"}, content_type=JSON
    )
    assert response.status_code == 400
    assert "без шагов" in response.content.decode()
    response = client.post(
        f"{API}routes/{route.pk}/transition/", {"status": "completed"}, content_type=JSON
    )
    assert response.status_code == 400
    assert "Нельзя перевести" in response.content.decode()
    response = client.post(
        f"{API}routes/{route.pk}/transition/", {"status": "flying"}, content_type=JSON
    )
    assert response.status_code == 400
    assert "status" in response.json()
    route.refresh_from_db()
    assert route.status == RouteStatus.DRAFT
    assert route.transitions.count() == 1
