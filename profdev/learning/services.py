"""Writes of the learning app: views, the API, imports and the demo all call these."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from profdev.common.uploads import validate_document
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


def validate_evidence_file(file: Any) -> None:
    """Evidence must be a document or an image within `EVIDENCE_MAX_BYTES` (checked by content)."""
    validate_document(file, field="evidence_file", max_bytes=settings.EVIDENCE_MAX_BYTES)


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
    if enrollment is not None:
        if kind != StepKind.COURSE:
            raise ValidationError({"enrollment": _("Зачисление указывают только для курса.")})
        if enrollment.teacher_id != route.teacher_id:
            raise ValidationError({"enrollment": _("Зачисление другого педагога.")})
        program = program or enrollment.cohort.program
    if evidence_file:
        validate_evidence_file(evidence_file)
    step = RouteStep(
        route=route,
        kind=kind,
        title=title,
        planned_start=planned_start,
        planned_end=planned_end,
        program=program,
        enrollment=enrollment,
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
    return step


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
    for name, value in fields.items():
        setattr(step, name, value)
    _check_step_dates(
        route=step.route, planned_start=step.planned_start, planned_end=step.planned_end
    )
    if evidence_file:
        validate_evidence_file(evidence_file)
        step.evidence_file = evidence_file
    step.full_clean()
    step.save()
    if areas is not None:
        step.areas.set(list(areas))
    return step


@transaction.atomic
def route_add_proposed_steps(
    *, user: Any, route: Route, programs: Iterable[Program]
) -> list[RouteStep]:
    """Add course steps for programs chosen from the proposals, each targeting its deficits."""
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
