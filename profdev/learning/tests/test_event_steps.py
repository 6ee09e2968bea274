"""Catalogue events in routes: events target deficits, are proposed, and attending completes them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from profdev.events import services as event_services
from profdev.events.choices import EventLevel
from profdev.events.models import Event, EventParticipation
from profdev.events.tests.factories import EventFactory
from profdev.learning import selectors, services
from profdev.learning.choices import RouteStatus, StepKind, StepStatus
from profdev.learning.models import Diagnostic, Route, RouteStep
from profdev.learning.tests.factories import CohortFactory, ProgramFactory, RouteFactory, area

D = datetime.date
API = "/api/v1/"


def _event(world, title, start, areas=(), **extra):
    event = EventFactory(title=title, region=world.tomsk, start_date=start, **extra)
    event.areas.set([area(code) for code in areas])
    return event


@pytest.fixture
def route(world, methodist):
    diagnostic = services.diagnostic_create(
        user=methodist,
        teacher=world.teacher_a,
        conducted_on=D(2023, 1, 20),
        instrument="ФИОКО",
        scores={area("digital"): 40, area("methodical"): 50, area("subject"): 85},
    )
    return services.route_create(
        user=methodist,
        teacher=world.teacher_a,
        developed_on=D(2023, 2, 1),
        planned_end=D(2023, 12, 31),
        diagnostic=diagnostic,
    )


def test_event_proposals_target_deficits_upcoming_inside_route(world, methodist, route):
    both = _event(world, "Цифровая методика", D(2023, 5, 10), ("digital", "methodical"))
    digital = _event(world, "Цифровой урок", D(2023, 4, 5), ("digital",))
    _event(world, "Общение с родителями", D(2023, 4, 5), ("communicative",))  # not a deficit
    _event(world, "Прошедший вебинар", D(2023, 3, 1), ("digital",))  # before "today"
    _event(world, "После маршрута", D(2024, 2, 1), ("digital",))  # outside the route
    EventFactory(title="Чужой регион", region=world.nsk, start_date=D(2023, 6, 1)).areas.set(
        [area("digital")]
    )
    proposals = selectors.route_event_proposals(route=route, user=methodist, today=D(2023, 3, 15))
    assert [p.event for p in proposals] == [both, digital]
    assert {a.code for a in proposals[0].areas} == {"digital", "methodical"}


def test_proposed_courses_and_events_become_steps(world, methodist, route):
    program = ProgramFactory(title="Цифровая школа")
    program.areas.set([area("digital")])
    CohortFactory(program=program, start_date=D(2023, 4, 1), end_date=D(2023, 4, 20))
    event = _event(world, "Цифровой урок", D(2023, 5, 5), ("digital", "communicative"))
    steps = services.route_add_proposed_steps(
        user=methodist, route=route, programs=[program], events=[event]
    )
    course, event_step = steps
    assert course.kind == StepKind.COURSE and course.program == program
    assert event_step.kind == StepKind.EVENT and event_step.event == event
    assert (event_step.planned_start, event_step.planned_end) == (D(2023, 5, 5), D(2023, 5, 5))
    assert [a.code for a in event_step.areas.all()] == ["digital"]  # only the route's deficits
    # once in the route, neither is proposed again
    assert selectors.route_proposals(route=route, user=methodist) == []
    assert selectors.route_event_proposals(route=route, user=methodist, today=D(2023, 3, 1)) == []


def test_recording_participation_completes_event_step(world, methodist, operator, route):
    event = _event(world, "Семинар", D(2023, 5, 5), ("digital",), end_date=D(2023, 5, 6))
    (step,) = services.route_add_proposed_steps(user=methodist, route=route, events=[event])
    other = services.route_step_create(
        user=methodist,
        route=route,
        kind=StepKind.SELF_STUDY,
        title="Чтение",
        planned_start=D(2023, 5, 1),
        planned_end=D(2023, 6, 1),
    )
    assert step.status == StepStatus.PLANNED
    # another teacher's participation changes nothing
    event_services.participation_add(user=operator, event=event, teacher=world.teacher_b)
    step.refresh_from_db()
    assert step.status == StepStatus.PLANNED
    event_services.participation_add(user=operator, event=event, teacher=world.teacher_a)
    step.refresh_from_db()
    other.refresh_from_db()
    assert step.status == StepStatus.DONE
    assert (step.actual_start, step.actual_end) == (D(2023, 5, 5), D(2023, 5, 6))
    assert other.status == StepStatus.PLANNED
    assert step.history.first().status == StepStatus.DONE  # the audit trail has it


def test_linking_an_attended_event_completes_the_step_at_once(world, methodist, operator, route):
    event = _event(world, "Конференция", D(2023, 9, 1), ("digital",))
    EventParticipation.objects.create(event=event, teacher=world.teacher_a)
    step = services.route_step_create(
        user=methodist,
        route=route,
        kind=StepKind.EVENT,
        title=event.title,
        planned_start=event.start_date,
        planned_end=event.end_date,
        event=event,
    )
    assert step.status == StepStatus.DONE


def test_event_only_on_event_steps_and_in_scope(world, methodist, route):
    event = _event(world, "Семинар", D(2023, 5, 5))
    with pytest.raises(ValidationError, match="только для шага вида"):
        services.route_step_create(
            user=methodist,
            route=route,
            kind=StepKind.COURSE,
            title="Курс",
            planned_start=D(2023, 5, 5),
            planned_end=D(2023, 5, 5),
            event=event,
        )
    foreign = EventFactory(region=world.nsk, start_date=D(2023, 5, 5))
    with pytest.raises(ValidationError, match="вне вашей зоны"):
        services.route_step_create(
            user=methodist,
            route=route,
            kind=StepKind.EVENT,
            title="Чужое",
            planned_start=D(2023, 5, 5),
            planned_end=D(2023, 5, 5),
            event=foreign,
        )
    assert not RouteStep.objects.exists()


def test_event_areas_through_service_and_api(world, operator, login):
    event = event_services.event_create(
        user=operator,
        title="Вебинар",
        start_date=D(2024, 3, 1),
        end_date=D(2024, 3, 1),
        areas=[area("digital")],
    )
    assert [a.code for a in event.areas.all()] == ["digital"]
    event_services.event_update(user=operator, event=event, areas=[area("subject")])
    assert [a.code for a in event.areas.all()] == ["subject"]
    client = login(operator)
    response = client.patch(
        f"{API}events/{event.pk}/",
        {"areas": [area("digital").pk, area("communicative").pk]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert sorted(response.json()["areas"]) == sorted(
        [area("digital").pk, area("communicative").pk]
    )
    response = client.patch(
        f"{API}events/{event.pk}/", {"areas": [999999]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "areas" in response.json()
    filtered = client.get(f"{API}events/?area={area('digital').pk}").json()
    assert [row["id"] for row in filtered.get("results", filtered)] == [event.pk]


def test_event_form_saves_areas(world, operator, login):
    response = login(operator).post(
        reverse("events:event-create"),
        {
            "title": "Семинар по цифре",
            "kind": "seminar",
            "level": EventLevel.REGIONAL,
            "start_date": "2024-04-01",
            "end_date": "2024-04-01",
            "format": "in_person",
            "areas": [area("digital").pk, area("subject").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert {a.code for a in event.areas.all()} == {"digital", "subject"}


def test_methodist_builds_route_with_course_and_event_in_pages(world, methodist, operator, login):
    """From a diagnostic to an approved route with a proposed course and a proposed event."""
    today = timezone.localdate()
    start = today + datetime.timedelta(days=30)
    program = ProgramFactory(title="Цифровая дидактика")
    program.areas.set([area("digital")])
    CohortFactory(program=program, start_date=start, end_date=start + datetime.timedelta(days=20))
    event = _event(
        world, "Фестиваль цифровых уроков", start + datetime.timedelta(days=40), ("digital",)
    )
    client = login(methodist)
    response = client.post(
        reverse("learning:diagnostic-create", args=[world.teacher_a.pk]),
        {
            "conducted_on": today.isoformat(),
            "instrument": "ФИОКО",
            f"area_{area('digital').pk}": "30",
            f"area_{area('subject').pk}": "85",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("learning:route-create", args=[world.teacher_a.pk]),
        {
            "developed_on": today.isoformat(),
            "planned_end": (today + datetime.timedelta(days=300)).isoformat(),
            "diagnostic": Diagnostic.objects.get().pk,
        },
    )
    assert response.status_code == 302
    route = Route.objects.get()
    page = client.get(route.get_absolute_url()).content.decode()
    assert "Цифровая дидактика" in page and "Фестиваль цифровых уроков" in page
    client.post(
        reverse("learning:route-propose", args=[route.pk]),
        {"program": [program.pk], "event": [event.pk]},
    )
    assert sorted(route.steps.values_list("kind", flat=True)) == ["course", "event"]
    client.post(reverse("learning:route-transition", args=[route.pk]), {"status": "approved"})
    route.refresh_from_db()
    assert route.status == RouteStatus.APPROVED
    # the teacher's page shows the planned event next to the route and the deficits
    teacher_page = client.get(world.teacher_a.get_absolute_url()).content.decode()
    assert "Фестиваль цифровых уроков" in teacher_page
    # the teacher attends: the organizer records it, the step is done
    event_services.participation_add(user=operator, event=event, teacher=world.teacher_a)
    assert route.steps.get(kind="event").status == StepStatus.DONE


def test_propose_with_nothing_chosen_says_so(world, methodist, login):
    route = RouteFactory(teacher=world.teacher_a)
    response = login(methodist).post(
        reverse("learning:route-propose", args=[route.pk]), {}, follow=True
    )
    assert "Отметьте хотя бы один" in response.content.decode()
    assert not route.steps.exists()


def test_api_proposals_and_add_proposed(world, methodist, login, route):
    client = login(methodist)
    program = ProgramFactory(title="Цифровая школа")
    program.areas.set([area("digital")])
    start = max(timezone.localdate(), D(2023, 2, 1))
    route.planned_end = start + datetime.timedelta(days=200)
    route.save()
    event = _event(world, "Цифровой урок", start + datetime.timedelta(days=10), ("digital",))
    data = client.get(f"{API}routes/{route.pk}/proposals/").json()
    assert [p["program"] for p in data["programs"]] == [program.pk]
    assert [p["event"] for p in data["events"]] == [event.pk]
    response = client.post(
        f"{API}routes/{route.pk}/add-proposed/",
        {"programs": [program.pk], "events": [event.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert sorted(step["kind"] for step in response.json()) == ["course", "event"]
    bad = client.post(f"{API}routes/{route.pk}/add-proposed/", {}, content_type="application/json")
    assert bad.status_code == 400
    assert "хотя бы один" in bad.content.decode()
    foreign = EventFactory(region=world.nsk, start_date=start)
    bad = client.post(
        f"{API}routes/{route.pk}/add-proposed/",
        {"events": [foreign.pk]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert route.steps.count() == 2
