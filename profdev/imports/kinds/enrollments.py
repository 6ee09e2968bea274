"""Course enrollments and completions: a program's cohort, a person by SNILS, status, certificate.

The rules are those of `learning.services` (enrollment_create / enrollment_complete), checked
set-based for the whole file: once per cohort, completion not before the cohort starts, the
certificate number unique within the program, the teacher within the user's scope.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from profdev.imports.columns import Column
from profdev.imports.kinds.base import (
    CREATED,
    REJECTED,
    UNCHANGED,
    UPDATED,
    ExportData,
    ImportContext,
    ImportKind,
    Outcome,
    Plan,
    SourceRow,
)
from profdev.imports.kinds.common import (
    check_name,
    chunks,
    ids_in_scope,
    person_columns,
    teachers_by_snils,
    unknown_teacher,
)
from profdev.imports.values import CellError, clean_text, normalize_key, parse_choice, parse_date
from profdev.imports.values import parse_snils as parse_snils_cell
from profdev.learning.choices import EnrollmentStatus, StepStatus
from profdev.learning.models import Cohort, Enrollment, Program, RouteStep
from profdev.orgs.scoping import Action
from profdev.people.models import Teacher

BATCH = 2000


def _date(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


class EnrollmentsKind(ImportKind):
    """Who learned on which course («Список слушателей курсов ПК»)."""

    key = "enrollments"
    title = gettext_lazy("Обучение на курсах ПК")
    columns = (
        Column("number", "№ п/п", ("№", "номер", "п/п", "№пп", "N"), example=1, width=6),
        Column(
            "program",
            "Программа",
            (
                "Программа ДПП ПК",
                "Программа ПК",
                "Название программы",
                "Наименование программы",
                "Курс",
                "Курсы ПК",
            ),
            required=True,
            example="Функциональная грамотность: развиваем в школе",
            width=45,
        ),
        Column(
            "cohort",
            "Поток",
            ("Группа", "Название потока", "Поток обучения"),
            example="Поток 1",
            width=18,
        ),
        Column(
            "cohort_start",
            "Дата начала обучения",
            ("Начало обучения", "Дата начала потока", "Начало курсов"),
            example=datetime.date(2024, 3, 1),
            width=16,
        ),
        *person_columns(example="112-233-445 95"),
        Column(
            "status",
            "Статус",
            ("Статус обучения", "Результат"),
            example=str(EnrollmentStatus.COMPLETED.label),
            choices=[str(label) for _c, label in EnrollmentStatus.choices],
            width=22,
        ),
        Column(
            "completion_date",
            "Дата завершения",
            ("Дата окончания обучения", "Дата завершения обучения", "Окончил"),
            example=datetime.date(2024, 3, 29),
            width=16,
        ),
        Column(
            "certificate",
            "Номер удостоверения",
            ("Удостоверение", "№ удостоверения", "Регистрационный номер удостоверения"),
            example="700000123456",
            width=22,
        ),
    )

    def check_access(self, ctx: ImportContext) -> None:
        if ctx.scope.role not in Enrollment.scope_write_roles:
            raise PermissionDenied(
                _("Загружать обучение на курсах могут оператор и методисты ЦНППМ.")
            )

    def plan(self, rows: list[SourceRow], ctx: ImportContext) -> Plan:
        today = timezone.localdate()
        programs: dict[str, list[Program]] = {}
        for program in Program.objects.for_scope(ctx.scope, Action.VIEW):
            programs.setdefault(normalize_key(program.title), []).append(program)
        program_ids = [p.pk for group in programs.values() for p in group]
        cohorts: dict[int, list[Cohort]] = {}
        for known in Cohort.objects.filter(program_id__in=program_ids).select_related("program"):
            cohorts.setdefault(known.program_id, []).append(known)

        outcomes: list[Outcome] = []
        parsed: list[tuple[SourceRow, dict[str, Any]]] = []
        for row in rows:
            try:
                parsed.append((row, self._parse(row, programs, cohorts, today)))
            except CellError as error:
                outcomes.append(Outcome(row, REJECTED, str(error)))

        teachers = teachers_by_snils(data["snils"] for _row, data in parsed)
        visible = ids_in_scope(Teacher, ctx.scope, [t.pk for t in teachers.values()], Action.VIEW)
        existing: dict[tuple[int, int], Enrollment] = {}
        cohort_ids = sorted({data["cohort"].pk for _row, data in parsed})
        teacher_ids = sorted(t.pk for t in teachers.values())
        certificates: dict[tuple[int, str], int] = {}
        if cohort_ids:
            for part in chunks(teacher_ids):
                for enrollment in Enrollment.objects.filter(
                    cohort_id__in=cohort_ids, teacher_id__in=part
                ):
                    existing[(enrollment.cohort_id, enrollment.teacher_id)] = enrollment
            used_programs = sorted({data["cohort"].program_id for _row, data in parsed})
            given = sorted({data["certificate"] for _row, data in parsed if data["certificate"]})
            for part in chunks(given):
                for program_id, number, pk in Enrollment.objects.filter(
                    cohort__program_id__in=used_programs, certificate_number__in=part
                ).values_list("cohort__program_id", "certificate_number", "pk"):
                    certificates[(program_id, number)] = pk

        new: list[Enrollment] = []
        changed: list[Enrollment] = []
        fields: set[str] = set()
        completed_now: list[Enrollment] = []
        seen: dict[tuple[int, int], str] = {}
        seen_certificates: dict[tuple[int, str], str] = {}
        for row, data in parsed:
            cohort: Cohort = data["cohort"]
            teacher = teachers.get(data["snils"])
            reason = ""
            if teacher is None:
                reason = unknown_teacher()
            elif teacher.pk not in visible:
                reason = _("Педагог «%(name)s» вне вашей зоны ответственности.") % {
                    "name": teacher.full_name
                }
            else:
                try:
                    check_name(teacher, row.cells.get("full_name"))
                except CellError as error:
                    reason = str(error)
            if not reason and teacher is not None and (cohort.pk, teacher.pk) in seen:
                reason = _("Педагог уже указан в этом потоке в строке %(other)s.") % {
                    "other": seen[(cohort.pk, teacher.pk)]
                }
            if reason or teacher is None:
                outcomes.append(Outcome(row, REJECTED, reason))
                continue
            seen[(cohort.pk, teacher.pk)] = row.number
            enrollment = existing.get((cohort.pk, teacher.pk))
            certificate = data["certificate"]
            if certificate:
                cert_key = (cohort.program_id, certificate)
                holder = certificates.get(cert_key)
                if cert_key in seen_certificates or (
                    holder is not None and (enrollment is None or holder != enrollment.pk)
                ):
                    where = seen_certificates.get(cert_key)
                    outcomes.append(
                        Outcome(
                            row,
                            REJECTED,
                            (
                                _(
                                    "Удостоверение № %(number)s уже выдано по этой программе "
                                    "другому слушателю."
                                )
                                % {"number": certificate}
                            )
                            + (
                                " " + _("Номер повторяется в строке %(other)s.") % {"other": where}
                                if where
                                else ""
                            ),
                        )
                    )
                    continue
                seen_certificates[cert_key] = row.number
            values = data["values"]
            if enrollment is None:
                values.setdefault("status", EnrollmentStatus.ENROLLED)
                new.append(Enrollment(cohort=cohort, teacher=teacher, **values))
                outcomes.append(Outcome(row, CREATED))
                continue
            changes = {n: v for n, v in values.items() if getattr(enrollment, n) != v}
            if not changes:
                outcomes.append(Outcome(row, UNCHANGED))
                continue
            became_completed = (
                changes.get("status") == EnrollmentStatus.COMPLETED
                and enrollment.status != EnrollmentStatus.COMPLETED
            )
            for name, value in changes.items():
                setattr(enrollment, name, value)
            if enrollment.status == EnrollmentStatus.COMPLETED and not enrollment.completion_date:
                outcomes.append(
                    Outcome(row, REJECTED, _("Для завершившего обучение укажите дату завершения."))
                )
                continue
            fields.update(changes)
            changed.append(enrollment)
            if became_completed:
                completed_now.append(enrollment)
            outcomes.append(Outcome(row, UPDATED))

        def apply() -> None:
            bulk_create_with_history(new, Enrollment, batch_size=BATCH, default_user=ctx.user)
            if changed:
                bulk_update_with_history(
                    changed, Enrollment, sorted(fields), batch_size=BATCH, default_user=ctx.user
                )
            _complete_route_steps(completed_now, ctx.user)

        return Plan(outcomes=outcomes, apply=apply)

    def _parse(
        self,
        row: SourceRow,
        programs: dict[str, list[Program]],
        cohorts: dict[int, list[Cohort]],
        today: datetime.date,
    ) -> dict[str, Any]:
        cells = row.cells
        title = clean_text(cells.get("program"))
        if not title:
            raise CellError(_("Не указана программа."))
        found = programs.get(normalize_key(title), [])
        if not found:
            raise CellError(
                _(
                    "Программа «%(title)s» не найдена в каталоге программ ДПП ПК "
                    "(или вне вашей зоны ответственности)."
                )
                % {"title": title}
            )
        candidates = [c for p in found for c in cohorts.get(p.pk, [])]
        cohort_title = clean_text(cells.get("cohort"))
        start = parse_date(cells.get("cohort_start"))
        if cohort_title:
            candidates = [
                c for c in candidates if normalize_key(c.title) == normalize_key(cohort_title)
            ]
        if start is not None:
            candidates = [c for c in candidates if c.start_date == start]
        if not candidates:
            raise CellError(
                _("Поток «%(cohort)s» программы «%(title)s» не найден.")
                % {"cohort": cohort_title or (_date(start) if start else "—"), "title": title}
            )
        if len(candidates) > 1:
            raise CellError(
                _(
                    "У программы «%(title)s» несколько потоков: укажите поток "
                    "или дату начала обучения."
                )
                % {"title": title}
            )
        cohort = candidates[0]
        snils = parse_snils_cell(cells.get("snils"))
        values: dict[str, Any] = {}
        status_text = clean_text(cells.get("status"))
        completion = parse_date(cells.get("completion_date"))
        certificate = clean_text(cells.get("certificate"))
        if status_text:
            values["status"] = parse_choice(status_text, EnrollmentStatus)
        elif completion or certificate:
            values["status"] = EnrollmentStatus.COMPLETED
        status = values.get("status")
        if completion is not None:
            if status != EnrollmentStatus.COMPLETED:
                raise CellError(
                    _("Указана дата завершения, а статус не «%(completed)s».")
                    % {"completed": EnrollmentStatus.COMPLETED.label}
                )
            if completion > today:
                raise CellError(
                    _("Дата завершения обучения (%(date)s) в будущем.")
                    % {"date": _date(completion)}
                )
            if completion < cohort.start_date:
                raise CellError(
                    _("Дата завершения обучения (%(date)s) раньше начала потока (%(start)s).")
                    % {"date": _date(completion), "start": _date(cohort.start_date)}
                )
            values["completion_date"] = completion
        elif status == EnrollmentStatus.COMPLETED:
            raise CellError(_("Для завершившего обучение укажите дату завершения."))
        if status == EnrollmentStatus.DROPPED:
            values["completion_date"] = None
        if certificate:
            if len(certificate) > Enrollment._meta.get_field("certificate_number").max_length:  # type: ignore[operator]
                raise CellError(_("Номер удостоверения слишком длинный."))
            values["certificate_number"] = certificate
        return {"cohort": cohort, "snils": snils, "certificate": certificate, "values": values}

    def export_rows(self, ctx: ImportContext) -> ExportData:
        enrollments = (
            Enrollment.objects.for_scope(ctx.scope, Action.CHANGE)
            .select_related("cohort__program", "teacher")
            .order_by("cohort__program__title", "cohort__start_date", "pk")
        )
        data = ExportData()
        for number, enrollment in enumerate(enrollments, start=1):
            teacher = enrollment.teacher
            data.teacher_ids.add(teacher.pk)
            data.rows.append(
                [
                    number,
                    enrollment.cohort.program.title,
                    enrollment.cohort.title,
                    enrollment.cohort.start_date,
                    teacher.snils_formatted,
                    teacher.full_name,
                    enrollment.get_status_display(),
                    enrollment.completion_date,
                    enrollment.certificate_number,
                ]
            )
        return data


def _complete_route_steps(enrollments: list[Enrollment], user: Any) -> None:
    """As `learning.services.enrollment_complete`: route steps of a finished course are done."""
    if not enrollments:
        return
    by_pk = {e.pk: e for e in enrollments}
    steps: list[RouteStep] = []
    for part in chunks(sorted(by_pk)):
        steps.extend(
            RouteStep.objects.filter(enrollment_id__in=part).exclude(
                status__in=[StepStatus.DONE, StepStatus.CANCELLED]
            )
        )
    for step in steps:
        enrollment = by_pk[step.enrollment_id]  # type: ignore[index]
        step.status = StepStatus.DONE
        step.actual_start = step.actual_start or enrollment.cohort.start_date
        step.actual_end = enrollment.completion_date
    if steps:
        bulk_update_with_history(
            steps,
            RouteStep,
            ["status", "actual_start", "actual_end"],
            batch_size=BATCH,
            default_user=user,
        )
