"""Writes of the learning app: views, the API, imports and the demo all call these."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from profdev.common.uploads import validate_evidence
from profdev.events.models import Event, EventParticipation
from profdev.learning.choices import (
    ROUTE_TRANSITIONS,
    EnrollmentStatus,
    RouteStatus,
    StepKind,
    StepStatus,
)
from profdev.learning.models import (
    Cohort,
    CompetenceArea,
    Diagnostic,
    DiagnosticScore,
    Enrollment,
    Program,
    Route,
    RouteStep,
    RouteTransition,
    StaffTraining,
)
from profdev.orgs.scoping import Action, scope_of
from profdev.people.models import CenterStaff, Teacher

# Evidence may be a document or an image; anything else (archives, executables) is refused.


def _ensure_can_write(*, user: Any, model: type[Model]) -> None:
    if user is None:  # system writes: demo, imports
        return
    if model.scope_filter(scope_of(user), Action.CHANGE) is None:  # type: ignore[attr-defined]
        raise PermissionDenied(_("У вас нет прав изменять такие записи."))


def _ensure_teacher_in_scope(*, user: Any, teacher: Teacher, model: type[Model]) -> None:
    """A methodist or operator may work only with teachers of their own scope."""
    _ensure_can_write(user=user, model=model)
    if user is None:
        return
    if not Teacher.objects.for_user(user, Action.VIEW).filter(pk=teacher.pk).exists():
        raise PermissionDenied(
            _("Педагог «%(teacher)s» вне вашей зоны ответственности.") % {"teacher": teacher}
        )


def _ensure_record_writable(*, user: Any, obj: Model) -> None:
    if user is None:
        return
    manager: Any = type(obj)._default_manager
    if not manager.for_user(user, Action.CHANGE).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("У вас нет прав изменять эту запись."))


# --- catalogue ----------------------------------------------------------------------------------


@transaction.atomic
def program_create(*, user: Any, areas: Iterable[CompetenceArea] = (), **fields: Any) -> Program:
    """Add a program (ДПП ПК) to the regional catalogue."""
    _ensure_can_write(user=user, model=Program)
    if user is not None and fields.get("region") is None and getattr(user, "region_id", None):
        fields["region_id"] = user.region_id
    program = Program(**fields)
    program.full_clean()
    program.save()
    program.areas.set(list(areas))
    return program


@transaction.atomic
def program_update(
    *, user: Any, program: Program, areas: Iterable[CompetenceArea] | None = None, **fields: Any
) -> Program:
    """Change a program of the catalogue."""
    _ensure_record_writable(user=user, obj=program)
    for name, value in fields.items():
        setattr(program, name, value)
    program.full_clean()
    program.save()
    if areas is not None:
        program.areas.set(list(areas))
    return program


@transaction.atomic
def cohort_create(
    *,
    user: Any,
    program: Program,
    title: str,
    start_date: datetime.date,
    end_date: datetime.date,
) -> Cohort:
    """Open a cohort (поток) of a program."""
    _ensure_record_writable(user=user, obj=program)
    if end_date < start_date:
        raise ValidationError({"end_date": _("Дата окончания потока раньше даты начала.")})
    cohort = Cohort(program=program, title=title, start_date=start_date, end_date=end_date)
    cohort.full_clean()
    cohort.save()
    return cohort


# --- enrollments --------------------------------------------------------------------------------


def _check_certificate(*, enrollment: Enrollment, certificate_number: str) -> None:
    if not certificate_number:
        return
    reused = Enrollment.objects.filter(
        cohort__program_id=enrollment.cohort.program_id, certificate_number=certificate_number
    ).exclude(pk=enrollment.pk)
    if reused.exists():
        raise ValidationError(
            {
                "certificate_number": _(
                    "Удостоверение № %(number)s уже выдано по этой программе другому слушателю."
                )
                % {"number": certificate_number}
            }
        )


@transaction.atomic
def enrollment_create(*, user: Any, cohort: Cohort, teacher: Teacher) -> Enrollment:
    """Enroll a teacher into a cohort, once per cohort."""
    _ensure_teacher_in_scope(user=user, teacher=teacher, model=Enrollment)
    if Enrollment.objects.filter(cohort=cohort, teacher=teacher).exists():
        raise ValidationError(
            {"teacher": _("Педагог %(teacher)s уже зачислен в этот поток.") % {"teacher": teacher}}
        )
    enrollment = Enrollment(cohort=cohort, teacher=teacher)
    enrollment.full_clean()
    enrollment.save()
    return enrollment


@transaction.atomic
def enrollment_complete(
    *,
    user: Any,
    enrollment: Enrollment,
    completion_date: datetime.date,
    certificate_number: str = "",
) -> Enrollment:
    """Record a finished course; route steps pointing at the enrollment are done with it."""
    _ensure_record_writable(user=user, obj=enrollment)
    cohort = enrollment.cohort
    if completion_date < cohort.start_date:
        raise ValidationError(
            {
                "completion_date": _(
                    "Дата завершения обучения (%(date)s) раньше начала потока (%(start)s)."
                )
                % {
                    "date": completion_date.strftime("%d.%m.%Y"),
                    "start": cohort.start_date.strftime("%d.%m.%Y"),
                }
            }
        )
    certificate_number = certificate_number.strip()
    _check_certificate(enrollment=enrollment, certificate_number=certificate_number)
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completion_date = completion_date
    enrollment.certificate_number = certificate_number
    enrollment.full_clean()
    enrollment.save()
    for step in enrollment.route_steps.exclude(status__in=[StepStatus.DONE, StepStatus.CANCELLED]):
        step.status = StepStatus.DONE
        step.actual_start = step.actual_start or cohort.start_date
        step.actual_end = completion_date
        step.save(update_fields=["status", "actual_start", "actual_end"])
    return enrollment


@transaction.atomic
def enrollment_drop(*, user: Any, enrollment: Enrollment) -> Enrollment:
    """Record that a learner left the cohort."""
    _ensure_record_writable(user=user, obj=enrollment)
    enrollment.status = EnrollmentStatus.DROPPED
    enrollment.completion_date = None
    enrollment.save(update_fields=["status", "completion_date"])
    return enrollment


# --- diagnostics --------------------------------------------------------------------------------


@transaction.atomic
def diagnostic_create(
    *,
    user: Any,
    teacher: Teacher,
    conducted_on: datetime.date,
    instrument: str,
    scores: Mapping[CompetenceArea, Decimal | int | float],
    conducted_by: CenterStaff | None = None,
    notes: str = "",
) -> Diagnostic:
    """Record a diagnostic session with a score per competence area."""
    _ensure_teacher_in_scope(user=user, teacher=teacher, model=Diagnostic)
    if not scores:
        raise ValidationError(_("Укажите баллы хотя бы по одной области компетенций."))
    diagnostic = Diagnostic(
        teacher=teacher,
        conducted_on=conducted_on,
        instrument=instrument,
        conducted_by=conducted_by,
        notes=notes,
    )
    diagnostic.full_clean()
    diagnostic.save()
    for area, value in scores.items():
        score = DiagnosticScore(
            diagnostic=diagnostic,
            area=area,
            score=Decimal(str(value)),
            threshold=area.threshold,
        )
        score.full_clean()
        score.save()
    return diagnostic


DIAGNOSTIC_FIELDS = frozenset({"conducted_on", "instrument", "conducted_by", "notes"})


@transaction.atomic
def diagnostic_update(
    *,
    user: Any,
    diagnostic: Diagnostic,
    scores: Mapping[CompetenceArea, Decimal | int | float] | None = None,
    **fields: Any,
) -> Diagnostic:
    """Correct a diagnostic; `scores`, when given, replace its scores area by area.

    A score kept for the same area keeps the threshold it was recorded with; a new area gets
    the area's current threshold. The teacher of a diagnostic never changes.
    """
    _ensure_record_writable(user=user, obj=diagnostic)
    unknown = set(fields) - DIAGNOSTIC_FIELDS
    if unknown:
        raise ValueError(f"unknown diagnostic fields: {sorted(unknown)}")
    if scores is not None and not scores:
        raise ValidationError({"scores": _("Укажите баллы хотя бы по одной области компетенций.")})
    for name, value in fields.items():
        setattr(diagnostic, name, value)
    diagnostic.full_clean()
    diagnostic.save()
    if scores is not None:
        current = {score.area_id: score for score in diagnostic.scores.all()}
        for area, value in scores.items():
            score = current.pop(area.pk, None) or DiagnosticScore(
                diagnostic=diagnostic, area=area, threshold=area.threshold
            )
            score.score = Decimal(str(value))
            score.full_clean()
            score.save()
        for stale in current.values():
            stale.delete()
    return diagnostic


# --- routes -------------------------------------------------------------------------------------


def _record_transition(
    *, route: Route, user: Any, from_status: str, to_status: str, on: datetime.date, comment: str
) -> None:
    RouteTransition.objects.create(
        route=route,
        from_status=from_status,
        to_status=to_status,
        changed_by=user if getattr(user, "pk", None) else None,
        changed_at=timezone.now(),
        changed_on=on,
        comment=comment,
    )


@transaction.atomic
def route_create(
    *,
    user: Any,
    teacher: Teacher,
    developed_on: datetime.date,
    planned_end: datetime.date,
    methodist: CenterStaff | None = None,
    diagnostic: Diagnostic | None = None,
    deficits: Iterable[CompetenceArea] | None = None,
    notes: str = "",
) -> Route:
    """Draft a route for a teacher; deficits default to those of the diagnostic."""
    _ensure_teacher_in_scope(user=user, teacher=teacher, model=Route)
    if diagnostic is not None and diagnostic.teacher_id != teacher.pk:
        raise ValidationError({"diagnostic": _("Диагностика проведена для другого педагога.")})
    if planned_end < developed_on:
        raise ValidationError(
            {"planned_end": _("Плановая дата завершения маршрута раньше даты разработки.")}
        )
    if methodist is None and user is not None:
        methodist = getattr(user, "staff_member", None)
    route = Route(
        teacher=teacher,
        methodist=methodist,
        developed_on=developed_on,
        planned_end=planned_end,
        diagnostic=diagnostic,
        notes=notes,
    )
    route.full_clean()
    route.save()
    if deficits is None and diagnostic is not None:
        from profdev.learning.selectors import diagnostic_deficits

        deficits = diagnostic_deficits(diagnostic)
    route.deficits.set(list(deficits or []))
    _record_transition(
        route=route,
        user=user,
        from_status="",
        to_status=RouteStatus.DRAFT,
        on=developed_on,
        comment="",
    )
    return route


ROUTE_FIELDS = frozenset({"developed_on", "planned_end", "methodist", "diagnostic", "notes"})


@transaction.atomic
def route_update(
    *,
    user: Any,
    route: Route,
    deficits: Iterable[CompetenceArea] | None = None,
    **fields: Any,
) -> Route:
    """Change an open route's dates, methodist, diagnostic, deficits or notes.

    The teacher and the status do not change here (statuses move by `route_transition`); the
    new period must still hold every step.
    """
    _ensure_record_writable(user=user, obj=route)
    unknown = set(fields) - ROUTE_FIELDS
    if unknown:
        raise ValueError(f"unknown route fields: {sorted(unknown)}")
    if route.status in (RouteStatus.COMPLETED, RouteStatus.CANCELLED):
        raise ValidationError(
            _("Маршрут в статусе «%(status)s» изменять нельзя.")
            % {"status": RouteStatus(route.status).label}
        )
    for name, value in fields.items():
        setattr(route, name, value)
    diagnostic = route.diagnostic
    if diagnostic is not None and diagnostic.teacher_id != route.teacher_id:
        raise ValidationError({"diagnostic": _("Диагностика проведена для другого педагога.")})
    if route.planned_end < route.developed_on:
        raise ValidationError(
            {"planned_end": _("Плановая дата завершения маршрута раньше даты разработки.")}
        )
    outside = route.steps.exclude(
        planned_start__gte=route.developed_on, planned_end__lte=route.planned_end
    )
    if outside.exists():
        raise ValidationError(
            _("Шаги маршрута выходят за новый период: %(steps)s.")
            % {"steps": "; ".join(str(step) for step in outside[:5])}
        )
    route.full_clean()
    route.save()
    if deficits is not None:
        route.deficits.set(list(deficits))
    return route


@transaction.atomic
def route_transition(
    *,
    user: Any,
    route: Route,
    to_status: str,
    on: datetime.date | None = None,
    comment: str = "",
) -> Route:
    """Move a route along draft → approved → in progress → completed (or cancelled)."""
    _ensure_record_writable(user=user, obj=route)
    route = Route.objects.select_for_update().get(pk=route.pk)
    if to_status not in ROUTE_TRANSITIONS.get(route.status, frozenset()):
        raise ValidationError(
            _("Нельзя перевести маршрут из статуса «%(from)s» в «%(to)s».")
            % {"from": RouteStatus(route.status).label, "to": RouteStatus(to_status).label}
        )
    if to_status == RouteStatus.APPROVED and not route.steps.exists():
        raise ValidationError(_("Нельзя утвердить маршрут без шагов."))
    day = on or timezone.localdate()
    _record_transition(
        route=route,
        user=user,
        from_status=route.status,
        to_status=to_status,
        on=day,
        comment=comment,
    )
    route.status = to_status
    route.save(update_fields=["status"])
    return route


def _check_step_dates(
    *, route: Route, planned_start: datetime.date, planned_end: datetime.date
) -> None:
    errors: dict[str, str] = {}
    if planned_end < planned_start:
        errors["planned_end"] = _("Плановое окончание шага раньше начала.")
    period = {
        "start": route.developed_on.strftime("%d.%m.%Y"),
        "end": route.planned_end.strftime("%d.%m.%Y"),
    }
    for name, day in (("planned_start", planned_start), ("planned_end", planned_end)):
        if name not in errors and not route.developed_on <= day <= route.planned_end:
            errors[name] = _("Дата шага вне периода маршрута (%(start)s — %(end)s).") % period
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def route_step_create(
    *,
    user: Any,
    route: Route,
    kind: str,
    title: str,
    planned_start: datetime.date,
    planned_end: datetime.date,
    areas: Iterable[CompetenceArea] = (),
    program: Program | None = None,
    enrollment: Enrollment | None = None,
    event: Event | None = None,
    status: str = StepStatus.PLANNED,
    actual_start: datetime.date | None = None,
    actual_end: datetime.date | None = None,
    evidence_file: UploadedFile | None = None,
    evidence_link: str = "",
) -> RouteStep:
    """Add a step to a route, inside the route's period."""
    _ensure_record_writable(user=user, obj=route)
    if route.status in (RouteStatus.COMPLETED, RouteStatus.CANCELLED):
        raise ValidationError(_("Маршрут закрыт: шаги добавлять нельзя."))
    _check_step_dates(route=route, planned_start=planned_start, planned_end=planned_end)
    _check_step_links(user=user, route=route, kind=kind, enrollment=enrollment, event=event)
    if enrollment is not None:
        program = program or enrollment.cohort.program
    if evidence_file:
        validate_evidence(evidence_file)
    step = RouteStep(
        route=route,
        kind=kind,
        title=title,
        planned_start=planned_start,
        planned_end=planned_end,
        program=program,
        enrollment=enrollment,
        event=event,
        status=status,
        actual_start=actual_start,
        actual_end=actual_end,
        evidence_link=evidence_link,
    )
    if evidence_file:
        step.evidence_file = evidence_file
    step.full_clean()
    step.save()
    step.areas.set(list(areas))
    if enrollment is not None and enrollment.status == EnrollmentStatus.COMPLETED:
        step.status = StepStatus.DONE
        step.actual_end = enrollment.completion_date
        step.save(update_fields=["status", "actual_end"])
    if (
        event is not None
        and EventParticipation.objects.filter(event=event, teacher_id=route.teacher_id).exists()
    ):
        complete_event_steps(event=event, teacher_id=route.teacher_id)
        step.refresh_from_db()
    return step


def _check_step_links(
    *,
    user: Any,
    route: Route,
    kind: str,
    enrollment: Enrollment | None,
    event: Event | None,
) -> None:
    """An enrollment belongs to a course step of the same teacher; an event to an event step."""
    if enrollment is not None:
        if kind != StepKind.COURSE:
            raise ValidationError({"enrollment": _("Зачисление указывают только для курса.")})
        if enrollment.teacher_id != route.teacher_id:
            raise ValidationError({"enrollment": _("Зачисление другого педагога.")})
    if event is not None:
        if kind != StepKind.EVENT:
            raise ValidationError(
                {"event": _("Мероприятие указывают только для шага вида «Мероприятие».")}
            )
        if user is not None and not (
            Event.objects.for_user(user, Action.VIEW).filter(pk=event.pk).exists()
        ):
            raise ValidationError(
                {
                    "event": _("Мероприятие «%(event)s» вне вашей зоны ответственности.")
                    % {"event": event}
                }
            )


def complete_event_steps(*, event: Event, teacher_id: int) -> int:
    """The teacher took part in the event: their open route steps for it are done.

    Called when a participant is recorded (events.services.participation_add) and when a step
    is linked to an event the teacher already attended. Returns how many steps were completed.
    """
    steps = RouteStep.objects.filter(event=event, route__teacher_id=teacher_id).exclude(
        status__in=[StepStatus.DONE, StepStatus.CANCELLED]
    )
    done = 0
    for step in steps:
        step.status = StepStatus.DONE
        step.actual_start = step.actual_start or event.start_date
        step.actual_end = event.end_date
        step.save(update_fields=["status", "actual_start", "actual_end"])
        done += 1
    return done


@transaction.atomic
def route_step_update(
    *,
    user: Any,
    step: RouteStep,
    areas: Iterable[CompetenceArea] | None = None,
    evidence_file: UploadedFile | None = None,
    **fields: Any,
) -> RouteStep:
    """Change a step: dates, status, evidence; dates stay inside the route's period."""
    _ensure_record_writable(user=user, obj=step)
    unknown = set(fields) - STEP_FIELDS
    if unknown:
        raise ValueError(f"unknown route step fields: {sorted(unknown)}")
    event_changed = (
        "event" in fields and fields["event"] is not None and (fields["event"].pk != step.event_id)
    )
    for name, value in fields.items():
        setattr(step, name, value)
    _check_step_dates(
        route=step.route, planned_start=step.planned_start, planned_end=step.planned_end
    )
    _check_step_links(
        user=user, route=step.route, kind=step.kind, enrollment=step.enrollment, event=step.event
    )
    if evidence_file:
        validate_evidence(evidence_file)
        step.evidence_file = evidence_file
    step.full_clean()
    step.save()
    if areas is not None:
        step.areas.set(list(areas))
    if event_changed and step.event is not None:
        complete_event_steps(event=step.event, teacher_id=step.route.teacher_id)
        step.refresh_from_db()
    return step


STEP_FIELDS = frozenset(
    {
        "kind",
        "title",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "status",
        "program",
        "enrollment",
        "event",
        "evidence_link",
    }
)


@transaction.atomic
def route_add_proposed_steps(
    *,
    user: Any,
    route: Route,
    programs: Iterable[Program] = (),
    events: Iterable[Event] = (),
) -> list[RouteStep]:
    """Add steps chosen from the proposals: a course per program, an event step per event.

    Each step targets the route's deficits its program or event addresses. A course is planned
    on the program's next cohort inside the route, an event on its own dates.
    """
    from profdev.learning.selectors import next_cohort

    deficits = set(route.deficits.all())
    steps = []
    for program in programs:
        cohort = next_cohort(program=program, after=route.developed_on, before=route.planned_end)
        start = cohort.start_date if cohort else route.developed_on
        end = cohort.end_date if cohort else route.planned_end
        steps.append(
            route_step_create(
                user=user,
                route=route,
                kind=StepKind.COURSE,
                title=program.title,
                planned_start=start,
                planned_end=end,
                program=program,
                areas=[area for area in program.areas.all() if area in deficits],
            )
        )
    for event in events:
        steps.append(
            route_step_create(
                user=user,
                route=route,
                kind=StepKind.EVENT,
                title=event.title,
                planned_start=event.start_date,
                planned_end=event.end_date,
                event=event,
                areas=[area for area in event.areas.all() if area in deficits],
            )
        )
    return steps


# --- staff training ----------------------------------------------------------------------------


@transaction.atomic
def staff_training_create(
    *,
    user: Any,
    staff: CenterStaff,
    program_title: str,
    start_date: datetime.date,
    end_date: datetime.date,
    completed_on: datetime.date | None = None,
    certificate_number: str = "",
) -> StaffTraining:
    """Record a staff member's training at the Federal Operator."""
    _ensure_can_write(user=user, model=StaffTraining)
    if user is not None and not (
        CenterStaff.objects.for_user(user, Action.VIEW).filter(pk=staff.pk).exists()
    ):
        raise PermissionDenied(_("Сотрудник вне вашей зоны ответственности."))
    if completed_on is not None and completed_on < start_date:
        raise ValidationError({"completed_on": _("Дата завершения раньше начала обучения.")})
    training = StaffTraining(
        staff=staff,
        program_title=program_title,
        start_date=start_date,
        end_date=end_date,
        completed_on=completed_on,
        certificate_number=certificate_number,
    )
    training.full_clean()
    training.save()
    return training
