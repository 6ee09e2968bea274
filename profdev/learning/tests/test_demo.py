"""The learning and events demo holds what issue 3 promises, and a second run adds nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import F

from profdev.events.choices import EventLevel
from profdev.events.models import Event, EventParticipation
from profdev.learning import selectors
from profdev.learning.choices import EnrollmentStatus, RouteStatus, StepKind, StepStatus
from profdev.learning.models import (
    Cohort,
    Diagnostic,
    DiagnosticScore,
    Enrollment,
    Program,
    Route,
    RouteStep,
    RouteTransition,
    StaffTraining,
)
from profdev.people.models import CenterStaff

TODAY = datetime.date(2026, 11, 23)
MODELS = [
    Program,
    Cohort,
    Enrollment,
    Diagnostic,
    DiagnosticScore,
    Route,
    RouteStep,
    RouteTransition,
    StaffTraining,
    Event,
    EventParticipation,
]


def _counts() -> dict[str, int]:
    counts = {model.__name__: model._default_manager.count() for model in MODELS}
    for model in (Enrollment, Diagnostic, Route, RouteStep, Event, EventParticipation):
        counts[f"{model.__name__} history"] = model.history.count()  # type: ignore[attr-defined]
    counts["route deficits"] = Route.deficits.through.objects.count()
    counts["step areas"] = RouteStep.areas.through.objects.count()
    counts["event areas"] = Event.areas.through.objects.count()
    return counts


@pytest.mark.django_db
def test_demo_learning_and_events(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", scale=0.03, today=TODAY, verbosity=0)
    counts = _counts()

    # diagnostics with deficits (scores under the threshold)
    assert counts["Diagnostic"] > 20
    assert DiagnosticScore.objects.filter(score__lt=F("threshold")).exists()
    assert DiagnosticScore.objects.filter(score__gte=F("threshold")).exists()

    # routes in every status, each with the transitions that led there, who/when kept
    routes = Route.objects.all()
    assert set(routes.values_list("status", flat=True)) == set(RouteStatus.values)
    for route in routes.prefetch_related("transitions", "deficits", "steps"):
        transitions = list(route.transitions.all())
        assert transitions[0].to_status == RouteStatus.DRAFT
        assert transitions[-1].to_status == route.status
        assert route.deficits.exists()
        assert all(
            route.developed_on <= s.planned_start <= s.planned_end <= route.planned_end
            for s in route.steps.all()
        )
    assert counts["Route history"] == counts["Route"]  # the audit trail has every route
    assert counts["RouteStep history"] >= counts["RouteStep"]

    # closing the loop: later diagnostics after completed routes show closed and open deficits
    outcomes = [
        outcome
        for route in routes.filter(status=RouteStatus.COMPLETED)
        for outcome in selectors.route_outcomes(route)[1]
    ]
    assert any(o.closed is True for o in outcomes)
    assert any(o.closed is False for o in outcomes)
    assert any(o.closed is None for o in outcomes)

    # courses: completed with certificates, dropped, still learning; some steps point at them
    statuses = set(Enrollment.objects.values_list("status", flat=True))
    assert {EnrollmentStatus.COMPLETED, EnrollmentStatus.DROPPED} <= statuses
    completed = Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED)
    assert not completed.filter(certificate_number="").exists()
    assert not completed.filter(completion_date__lt=F("cohort__start_date")).exists()
    assert RouteStep.objects.filter(kind=StepKind.COURSE, enrollment__isnull=False).exists()

    # staff training at the Federal Operator for most of the Center's staff
    trained = StaffTraining.objects.values("staff").distinct().count()
    assert trained >= CenterStaff.objects.count() * 0.7

    # events with participants, targeting deficits; upcoming ones for new routes
    assert EventParticipation.objects.filter(teacher__isnull=False).exists()
    assert EventParticipation.objects.filter(organization__isnull=False).exists()
    assert Event.objects.filter(participant_count__isnull=False).exists()
    assert counts["event areas"] > 0
    upcoming = Event.objects.filter(start_date__gt=TODAY, areas__isnull=False).distinct()
    assert upcoming.count() >= 3
    regional = Event.objects.filter(level=EventLevel.REGIONAL, start_date__lte=TODAY)
    per_year = {year: regional.filter(start_date__year=year).count() for year in range(2021, 2027)}
    assert per_year[2021] >= 2  # indicator 4: target 2 met
    assert per_year[2022] < 4  # target 4 missed
    assert per_year[2023] >= 4  # target 4 met
    assert all(2 <= n <= 8 for n in per_year.values())
    assert Event.objects.filter(level=EventLevel.MUNICIPAL, municipality__isnull=False).exists()
    for event in Event.objects.all():
        event.full_clean()

    # event steps point at catalogue events; a held event means the teacher took part
    event_steps = RouteStep.objects.filter(kind=StepKind.EVENT, event__isnull=False)
    assert event_steps.exists()
    for step in event_steps.select_related("event", "route"):
        assert (step.planned_start, step.planned_end) == (
            step.event.start_date,
            step.event.end_date,
        )
        attended = EventParticipation.objects.filter(
            event=step.event, teacher_id=step.route.teacher_id
        ).exists()
        assert attended == (step.status == StepStatus.DONE)

    # the demo's numbers hold under the models' own validation
    for model in (Route, RouteStep, Enrollment, Diagnostic):
        for record in model.objects.all()[:200]:  # type: ignore[attr-defined]
            record.full_clean()

    # a second run creates nothing
    call_command("seed_demo", scale=0.03, today=TODAY, verbosity=0)
    assert _counts() == counts
