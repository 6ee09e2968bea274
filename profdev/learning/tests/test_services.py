import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from profdev.learning import selectors, services
from profdev.learning.choices import EnrollmentStatus, RouteStatus, StepKind, StepStatus
from profdev.learning.models import (
    Diagnostic,
    Enrollment,
    Route,
    RouteStep,
    RouteTransition,
)
from profdev.learning.tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    ProgramFactory,
    area,
)

D = datetime.date
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


def _diagnostic(world, methodist, **scores):
    values = {
        "subject": 80,
        "methodical": 50,
        "psych_pedagogical": 70,
        "communicative": 90,
        "digital": 40,
    }
    values.update(scores)
    return services.diagnostic_create(
        user=methodist,
        teacher=world.teacher_a,
        conducted_on=D(2023, 1, 20),
        instrument="ФИОКО",
        scores={area(code): value for code, value in values.items()},
    )


@pytest.fixture
def route(world, methodist):
    diagnostic = _diagnostic(world, methodist)
    return services.route_create(
        user=methodist,
        teacher=world.teacher_a,
        developed_on=D(2023, 2, 1),
        planned_end=D(2023, 12, 31),
        diagnostic=diagnostic,
    )


def test_diagnostic_deficits_are_areas_under_threshold(world, methodist):
    diagnostic = _diagnostic(world, methodist)
    codes = {a.code for a in selectors.diagnostic_deficits(diagnostic)}
    assert codes == {"methodical", "digital"}


def test_route_takes_deficits_from_diagnostic_and_records_draft(route, methodist, world):
    assert {a.code for a in route.deficits.all()} == {"methodical", "digital"}
    assert route.methodist == world.staff
    transition = route.transitions.get()
    assert (transition.to_status, transition.changed_by) == (RouteStatus.DRAFT, methodist)


def test_route_for_teacher_outside_methodists_scope_is_refused(world, methodist):
    with pytest.raises(PermissionDenied, match="вне вашей зоны"):
        services.route_create(
            user=methodist,
            teacher=world.teacher_d,  # Новосибирская область
            developed_on=D(2023, 2, 1),
            planned_end=D(2023, 12, 31),
        )
    assert not Route.objects.exists()


def test_school_coordinator_cannot_write_routes(world, school_coordinator):
    with pytest.raises(PermissionDenied):
        services.route_create(
            user=school_coordinator,
            teacher=world.teacher_a,
            developed_on=D(2023, 2, 1),
            planned_end=D(2023, 12, 31),
        )
    assert not Route.objects.exists()


def test_diagnostic_outside_scope_refused(world, other_region_operator):
    with pytest.raises(PermissionDenied):
        services.diagnostic_create(
            user=other_region_operator,
            teacher=world.teacher_a,
            conducted_on=D(2023, 1, 1),
            instrument="x",
            scores={area("digital"): 10},
        )
    assert not Diagnostic.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [(D(2023, 1, 15), D(2023, 3, 1)), (D(2023, 11, 1), D(2024, 1, 10))],
)
def test_route_step_outside_route_period_is_refused(route, methodist, start, end):
    with pytest.raises(ValidationError) as error:
        services.route_step_create(
            user=methodist,
            route=route,
            kind=StepKind.SELF_STUDY,
            title="Самообразование",
            planned_start=start,
            planned_end=end,
        )
    assert "вне периода маршрута" in str(error.value)
    assert not route.steps.exists()


def test_route_workflow_records_who_and_when(route, methodist):
    with pytest.raises(ValidationError, match="без шагов"):
        services.route_transition(user=methodist, route=route, to_status=RouteStatus.APPROVED)
    services.route_step_create(
        user=methodist,
        route=route,
        kind=StepKind.MENTORING,
        title="Наставничество",
        planned_start=D(2023, 3, 1),
        planned_end=D(2023, 6, 1),
        areas=[area("methodical")],
    )
    for status in (RouteStatus.APPROVED, RouteStatus.IN_PROGRESS, RouteStatus.COMPLETED):
        route = services.route_transition(user=methodist, route=route, to_status=status)
    assert route.status == RouteStatus.COMPLETED
    assert list(route.transitions.values_list("to_status", flat=True)) == [
        "draft",
        "approved",
        "in_progress",
        "completed",
    ]
    assert all(t.changed_by == methodist for t in route.transitions.all())
    with pytest.raises(ValidationError, match="Нельзя перевести"):
        services.route_transition(user=methodist, route=route, to_status=RouteStatus.DRAFT)
    assert RouteTransition.objects.count() == 4


def test_enrollment_twice_in_same_cohort_is_refused(world, methodist):
    cohort = CohortFactory()
    services.enrollment_create(user=methodist, cohort=cohort, teacher=world.teacher_a)
    with pytest.raises(ValidationError, match="уже зачислен"):
        services.enrollment_create(user=methodist, cohort=cohort, teacher=world.teacher_a)
    assert Enrollment.objects.count() == 1


def test_completion_before_cohort_start_is_refused(world, methodist):
    enrollment = EnrollmentFactory(teacher=world.teacher_a, cohort=CohortFactory())
    with pytest.raises(ValidationError, match="раньше начала потока"):
        services.enrollment_complete(
            user=methodist, enrollment=enrollment, completion_date=D(2023, 2, 1)
        )
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ENROLLED
    assert enrollment.completion_date is None


def test_certificate_number_reused_within_program_is_refused(world, methodist):
    program = ProgramFactory()
    first = EnrollmentFactory(teacher=world.teacher_a, cohort=CohortFactory(program=program))
    second = EnrollmentFactory(teacher=world.teacher_b, cohort=CohortFactory(program=program))
    other_program = EnrollmentFactory(teacher=world.teacher_c, cohort=CohortFactory())
    services.enrollment_complete(
        user=methodist, enrollment=first, completion_date=D(2023, 3, 31), certificate_number="7"
    )
    with pytest.raises(ValidationError, match="уже выдано"):
        services.enrollment_complete(
            user=methodist,
            enrollment=second,
            completion_date=D(2023, 3, 31),
            certificate_number="7",
        )
    second.refresh_from_db()
    assert second.status == EnrollmentStatus.ENROLLED and second.certificate_number == ""
    # the same number in another program is fine
    services.enrollment_complete(
        user=methodist,
        enrollment=other_program,
        completion_date=D(2023, 3, 31),
        certificate_number="7",
    )


def test_completing_enrollment_completes_course_step(world, methodist, route):
    enrollment = EnrollmentFactory(teacher=world.teacher_a, cohort=CohortFactory())
    step = services.route_step_create(
        user=methodist,
        route=route,
        kind=StepKind.COURSE,
        title="Курс",
        planned_start=D(2023, 3, 1),
        planned_end=D(2023, 3, 31),
        enrollment=enrollment,
    )
    assert step.status == StepStatus.PLANNED
    services.enrollment_complete(
        user=methodist, enrollment=enrollment, completion_date=D(2023, 3, 30)
    )
    step.refresh_from_db()
    assert step.status == StepStatus.DONE
    assert step.actual_end == D(2023, 3, 30)


def _step_with_file(route, methodist, upload):
    return services.route_step_create(
        user=methodist,
        route=route,
        kind=StepKind.EVENT,
        title="Семинар",
        planned_start=D(2023, 4, 1),
        planned_end=D(2023, 4, 1),
        evidence_file=upload,
    )


def test_evidence_file_must_be_document_or_image(route, methodist):
    upload = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 200)  # an executable
    with pytest.raises(ValidationError, match="документом"):
        _step_with_file(route, methodist, upload)
    zipped = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("a.txt", "x")
    with pytest.raises(ValidationError, match="документом"):
        _step_with_file(route, methodist, SimpleUploadedFile("a.zip", zipped.getvalue()))
    assert not RouteStep.objects.exists()


@override_settings(EVIDENCE_MAX_BYTES=100)
def test_evidence_file_over_size_limit_is_refused(route, methodist):
    with pytest.raises(ValidationError, match="слишком большой"):
        _step_with_file(route, methodist, SimpleUploadedFile("scan.png", PNG + b"\x00" * 200))
    assert not RouteStep.objects.exists()


def test_evidence_pdf_and_image_accepted(route, methodist):
    step = _step_with_file(route, methodist, SimpleUploadedFile("cert.pdf", PDF))
    assert step.evidence_file.name.endswith(".pdf")
    step = _step_with_file(route, methodist, SimpleUploadedFile("photo.png", PNG))
    assert step.evidence_file


def test_proposals_target_deficits_and_build_steps(world, methodist, route):
    digital = ProgramFactory(title="Цифровая школа")
    digital.areas.set([area("digital")])
    both = ProgramFactory(title="Методика и цифра")
    both.areas.set([area("digital"), area("methodical")])
    unrelated = ProgramFactory(title="Коммуникации")
    unrelated.areas.set([area("communicative")])
    CohortFactory(program=both, start_date=D(2023, 4, 1), end_date=D(2023, 4, 20))
    proposals = selectors.route_proposals(route=route, user=methodist)
    assert [p.program for p in proposals] == [both, digital]
    steps = services.route_add_proposed_steps(
        user=methodist, route=route, programs=[p.program for p in proposals]
    )
    assert steps[0].planned_start == D(2023, 4, 1)
    assert {a.code for a in steps[0].areas.all()} == {"digital", "methodical"}
    assert selectors.route_proposals(route=route, user=methodist) == []


def test_closing_the_loop(world, methodist, route):
    services.route_step_create(
        user=methodist,
        route=route,
        kind=StepKind.SELF_STUDY,
        title="x",
        planned_start=D(2023, 3, 1),
        planned_end=D(2023, 4, 1),
    )
    later, outcomes = selectors.route_outcomes(route)
    assert later is None and all(o.closed is None for o in outcomes)
    services.diagnostic_create(
        user=methodist,
        teacher=world.teacher_a,
        conducted_on=D(2024, 1, 20),
        instrument="ФИОКО",
        scores={area("methodical"): 75, area("digital"): 45},
    )
    later, outcomes = selectors.route_outcomes(route)
    closed = {o.area.code: o.closed for o in outcomes}
    assert closed == {"methodical": True, "digital": False}
    for status in (RouteStatus.APPROVED, RouteStatus.IN_PROGRESS, RouteStatus.COMPLETED):
        route = services.route_transition(user=methodist, route=route, to_status=status)
    rows = selectors.deficit_closure_report(user=methodist)
    assert len(rows) == 1
    row = rows[0]
    assert (row.municipality, row.routes, row.deficits, row.closed) == (
        "Томский район",
        1,
        2,
        1,
    )
