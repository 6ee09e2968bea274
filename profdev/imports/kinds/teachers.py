"""Teacher roster: teachers matched by SNILS, with their employment at an organization."""

import datetime
import operator
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from profdev.imports import bulk
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
from profdev.imports.kinds.common import any_of, ids_in_scope
from profdev.imports.kinds.orgmatch import OrganizationIndex
from profdev.imports.kinds.teacher_rows import check_columns
from profdev.imports.values import CellError, clean_text
from profdev.orgs.models import Organization
from profdev.orgs.scoping import Action
from profdev.people.choices import EmploymentKind, Position, QualificationCategory
from profdev.people.models import Employment, Teacher, TeacherPlace, active_employment_q
from profdev.people.places import PLACE_COLUMNS, places_written_here, stamp_lists

BATCH = 2000


class TeachersKind(ImportKind):
    """Teachers with their employments («Список педагогических работников»)."""

    key = "teachers"
    title = gettext_lazy("Педагоги и места работы")
    columns = (
        Column("number", "№ п/п", ("№", "номер", "п/п", "№пп", "N"), example=1, width=6),
        Column("last_name", "Фамилия", required=True, example="Иванова"),
        Column("first_name", "Имя", required=True, example="Анна"),
        Column("middle_name", "Отчество", example="Петровна"),
        Column(
            "full_name",
            "ФИО",
            ("Ф.И.О.", "Фамилия, имя, отчество", "Фамилия имя отчество", "ФИО педагога"),
            width=35,
        ),
        Column(
            "snils",
            "СНИЛС",
            ("Страховой номер", "СНИЛС педагога", "Номер СНИЛС"),
            required=True,
            example="112-233-445 95",
            width=16,
        ),
        Column(
            "position",
            "Должность",
            ("Занимаемая должность",),
            example=str(Position.TEACHER.label),
            choices=[str(label) for _c, label in Position.choices],
            width=30,
        ),
        Column(
            "career_start",
            "Дата начала педагогической деятельности",
            ("Педстаж с", "Педагогический стаж с", "Начало педагогической деятельности"),
            example=datetime.date(2015, 9, 1),
            width=18,
        ),
        Column("birth_date", "Дата рождения", ("Д.р.", "Дата рожд."), width=14),
        Column(
            "organization",
            "Образовательная организация",
            ("Организация", "ОО", "Место работы", "Наименование ОО", "Школа"),
            example="МБОУ «СОШ № 1»",
            width=40,
        ),
        Column("organization_inn", "ИНН организации", ("ИНН ОО", "ИНН"), width=14),
        Column(
            "qualification_category",
            "Квалификационная категория",
            ("Категория",),
            choices=[str(label) for _c, label in QualificationCategory.choices],
            width=24,
        ),
        Column(
            "employment_kind",
            "Вид занятости",
            ("Занятость",),
            choices=[str(label) for _c, label in EmploymentKind.choices],
            width=24,
        ),
        Column("start_date", "Дата приёма", ("Дата приема на работу", "Принят"), width=14),
        Column("email", "Эл. почта", ("email", "e-mail", "Электронная почта"), width=24),
    )
    alternatives = (("last_name", "first_name", "full_name"),)

    def check_access(self, ctx: ImportContext) -> None:
        if ctx.scope.role not in Employment.scope_write_roles:
            raise PermissionDenied(_("Ваша роль не позволяет загружать списки педагогов."))

    def allowed_organizations(self, ctx: ImportContext) -> Any:
        return Organization.objects.for_scope(ctx.scope, Action.VIEW)

    def plan(self, rows: list[SourceRow], ctx: ImportContext) -> Plan:
        """Set-based: the rules a column at a time (`teacher_rows`), one query per chunk of
        SNILS for the teachers and their employments read as tuples, new rows written as
        tuples, and model instances only for the records that change."""
        today = timezone.localdate()
        total = len(rows) * 2
        ctx.progress(0, total)
        orgs = _OrganizationResolver(ctx, self.allowed_organizations(ctx))
        checked = check_columns(rows, today, orgs.resolve)
        errors = checked.errors
        outcomes: list[Outcome] = []
        accepted: list[int] = []
        # SNILS: the row index where it first appears (a later row with it is rejected).
        seen: dict[str, int] = {}
        if not errors:  # the usual file: every row passes, each SNILS once
            seen = dict(zip(cast(list[str], checked.snils), range(len(rows)), strict=True))
            if len(seen) == len(rows):
                accepted = list(range(len(rows)))
            else:
                seen = {}
        for index, snils in enumerate(checked.snils if not accepted else ()):
            error = errors.get(index)
            if error is None and snils is not None:
                other = seen.get(snils)
                if other is None:
                    seen[snils] = index
                    accepted.append(index)
                    continue
                error = _("СНИЛС повторяется: он уже указан в строке %(other)s.") % {
                    "other": rows[other].number
                }
            outcomes.append(Outcome(rows[index], REJECTED, str(error)))
        ctx.progress(len(rows), total)

        existing = _existing_teachers(list(seen))
        active = _active_employments(sorted(row[0] for row in existing.values()), today)
        snils_of = checked.snils
        known = [index for index in accepted if snils_of[index] in existing] if existing else []
        fresh = [index for index in accepted if snils_of[index] not in existing]

        # New teachers, a column at a time.
        def pick(values: list[Any]) -> list[Any]:
            return list(map(values.__getitem__, fresh))

        category_none = str(QualificationCategory.NONE)
        kind_main = str(EmploymentKind.MAIN)
        new_teachers: list[tuple[Any, ...]] = list(
            zip(
                pick(checked.last),
                pick(checked.first),
                pick(checked.middle),
                pick(snils_of),
                [value or category_none for value in pick(checked.category)],
                pick(checked.career),
                [value or "" for value in pick(checked.email)],
                strict=True,
            )
        )
        # Their employments, in the same order (the teacher's key comes at the write).
        fresh_employments: list[tuple[Any, ...]] = list(
            zip(
                pick(checked.organization),
                pick(checked.position),
                pick(checked.is_management),
                [value or kind_main for value in pick(checked.kind)],
                [value or today for value in pick(checked.start)],
                [None] * len(fresh),
                strict=True,
            )
        )
        outcomes += [Outcome(rows[index], CREATED) for index in fresh]

        # Known teachers: only filled cells are compared (a blank never erases a value).
        last, first, middle = checked.last, checked.first, checked.middle
        career, category, email = checked.career, checked.category, checked.email
        organization, position = checked.organization, checked.position
        is_management, kind, start = checked.is_management, checked.kind, checked.start
        has_position = checked.has_position
        teacher_changes: dict[int, dict[str, Any]] = {}
        employment_changes: dict[int, dict[str, Any]] = {}
        known_employments: list[tuple[Any, ...]] = []  # (teacher's key, *employment values)
        known_names: list[tuple[str, str, str]] = []  # their stored names, for the places
        # (row index, stored values, changes, the active employment there, its changes)
        pending: list[tuple[int, tuple[Any, ...], dict[str, Any], Any, dict[str, Any]]] = []
        for index in known:
            found = existing[snils_of[index]]  # type: ignore[index]
            changes: dict[str, Any] = {}
            if (
                last[index] != found[1]
                or first[index] != found[2]
                or (middle[index] and middle[index] != found[3])
                or (category[index] is not None and category[index] != found[4])
                or (career[index] is not None and career[index] != found[5])
                or (email[index] is not None and email[index] != found[6])
            ):
                changes = {
                    name: value
                    for name, value, stored in (
                        ("last_name", last[index], found[1]),
                        ("first_name", first[index], found[2]),
                        ("middle_name", middle[index] or None, found[3]),
                        ("qualification_category", category[index], found[4]),
                        ("career_start", career[index], found[5]),
                        ("email", email[index], found[6]),
                    )
                    if value is not None and value != stored
                }
            current = active.get((found[0], organization[index]))  # type: ignore[arg-type]
            emp_changes: dict[str, Any] = {}
            if current is not None:
                if has_position:
                    if position[index] != current[1]:
                        emp_changes["position"] = position[index]
                    if is_management[index] != current[2]:
                        emp_changes["is_management"] = is_management[index]
                if kind[index] is not None and kind[index] != current[3]:
                    emp_changes["kind"] = kind[index]
            pending.append((index, found, changes, current, emp_changes))

        # Changing a teacher's own data needs the right to change that teacher (an employment
        # at one of the user's organizations may be added to anyone).
        changeable = ids_in_scope(
            Teacher, ctx.scope, [item[1][0] for item in pending if item[2]], Action.CHANGE
        )
        for index, found, changes, current, emp_changes in pending:
            pk = found[0]
            if changes and pk not in changeable:
                name = " ".join(part for part in found[1:4] if part)
                outcomes.append(
                    Outcome(
                        rows[index],
                        REJECTED,
                        _(
                            "Педагог с этим СНИЛС (%(name)s) работает в организации вне "
                            "вашей зоны ответственности; его данные может изменить "
                            "оператор ЦНППМ."
                        )
                        % {"name": name},
                    )
                )
                continue
            status = UPDATED if changes else UNCHANGED
            if changes:
                teacher_changes[pk] = changes
            if current is None:
                known_employments.append(
                    (
                        pk,
                        organization[index],
                        position[index],
                        is_management[index],
                        kind[index] or kind_main,
                        start[index] or today,
                        None,
                    )
                )
                known_names.append(found[1:4])
                status = UPDATED
            elif emp_changes:
                employment_changes[current[0]] = emp_changes
                status = UPDATED
            outcomes.append(Outcome(rows[index], status))
        ctx.progress(total, total)

        def apply() -> None:
            reason = _("Импорт: %(file)s") % {"file": ctx.filename} if ctx.filename else ""
            if connection.vendor == "postgresql":
                _write_postgresql(ctx, reason, new_teachers, fresh_employments, known_employments,
                                  known_names)  # fmt: skip
            else:
                teacher_ids = bulk.insert(Teacher, TEACHER_COLUMNS, new_teachers)
                employments = [
                    (pk, *values) for pk, values in zip(teacher_ids, fresh_employments, strict=True)
                ]
                employments += known_employments
                employment_ids = bulk.insert(Employment, EMPLOYMENT_COLUMNS, employments)
                if ctx.audit:
                    for model, columns, values, ids in (
                        (Teacher, TEACHER_COLUMNS, new_teachers, teacher_ids),
                        (Employment, EMPLOYMENT_COLUMNS, employments, employment_ids),
                    ):
                        bulk.insert_history(
                            model, columns, values, ids, user=ctx.user, reason=reason
                        )
            update = bulk_update_with_history if ctx.audit else _bulk_update
            changed: tuple[tuple[Any, dict[int, dict[str, Any]]], ...] = (
                (Teacher, teacher_changes),
                (Employment, employment_changes),
            )
            for model_class, by_pk in changed:
                if not by_pk:
                    continue
                objects = model_class.objects.in_bulk(sorted(by_pk))
                fields: set[str] = set()
                for pk, new_values in by_pk.items():
                    for name, value in new_values.items():
                        setattr(objects[pk], name, value)
                    fields.update(new_values)
                update(
                    list(objects.values()),
                    model_class,
                    sorted(fields),
                    batch_size=BATCH,
                    default_user=ctx.user,
                )

        return Plan(outcomes=outcomes, apply=apply)

    def export_rows(self, ctx: ImportContext) -> ExportData:
        teachers = Teacher.objects.for_scope(ctx.scope, Action.CHANGE).order_by("pk")
        employments: dict[int, Employment] = {}
        for employment in (
            Employment.objects.for_scope(ctx.scope, Action.VIEW)
            .filter(active_employment_q())
            .select_related("organization")
            .order_by("-start_date")
        ):
            employments.setdefault(employment.teacher_id, employment)
        data = ExportData()
        rows = data.rows
        for number, teacher in enumerate(teachers, start=1):
            employment = employments.get(teacher.pk)
            data.teacher_ids.add(teacher.pk)
            rows.append(
                [
                    number,
                    teacher.last_name,
                    teacher.first_name,
                    teacher.middle_name,
                    "",
                    teacher.snils_formatted,
                    employment.get_position_display() if employment else "",
                    teacher.career_start,
                    "",
                    employment.organization.name if employment else "",
                    employment.organization.inn if employment else "",
                    teacher.get_qualification_category_display(),
                    employment.get_kind_display() if employment else "",
                    employment.start_date if employment else None,
                    teacher.email,
                ]
            )
        return data


TEACHER_COLUMNS = (
    "last_name",
    "first_name",
    "middle_name",
    "snils",
    "qualification_category",
    "career_start",
    "email",
)
EMPLOYMENT_COLUMNS = (
    "teacher_id",
    "organization_id",
    "position",
    "is_management",
    "kind",
    "start_date",
    "end_date",
)


def _write_postgresql(
    ctx: ImportContext,
    reason: str,
    new_teachers: list[tuple[Any, ...]],
    fresh_employments: list[tuple[Any, ...]],
    known_employments: list[tuple[Any, ...]],
    known_names: list[tuple[str, str, str]],
) -> None:
    """The new teachers, employments, their places and audit rows, by COPY from a writer
    thread: the database works on one COPY while the next one's text is built here.

    The keys and the organizations' places are read first: while the writer runs, this
    thread does not use the connection."""
    teacher_ids = bulk.reserve_ids(Teacher, len(new_teachers))
    employment_ids = bulk.reserve_ids(Employment, len(fresh_employments) + len(known_employments))
    organizations = {row[0] for row in fresh_employments}
    organizations.update(row[1] for row in known_employments)
    nodes = {
        pk: (municipality, region)
        for pk, municipality, region in Organization.objects.filter(
            pk__in=organizations
        ).values_list("pk", "municipality_id", "region_id")
    }
    # The importer has every value of the places: it COPYs them instead of the trigger's
    # join of each new employment to its teacher and organization.
    with places_written_here(), bulk.CopyWriter() as writer:
        bulk.insert(Teacher, TEACHER_COLUMNS, new_teachers, ids=teacher_ids, writer=writer)
        employments = [
            (pk, *values) for pk, values in zip(teacher_ids, fresh_employments, strict=True)
        ]
        employments += known_employments
        employment_ids = bulk.insert(
            Employment, EMPLOYMENT_COLUMNS, employments, ids=employment_ids, writer=writer
        )
        names = [row[:3] for row in new_teachers] + known_names
        _copy_places(employments, employment_ids, names, nodes, writer)
        if ctx.audit:
            for model, columns, values, ids in (
                (Teacher, TEACHER_COLUMNS, new_teachers, teacher_ids),
                (Employment, EMPLOYMENT_COLUMNS, employments, employment_ids),
            ):
                bulk.insert_history(
                    model, columns, values, ids, user=ctx.user, reason=reason, writer=writer
                )
    # The employment trigger left the teacher lists to the importer (`places_written_here`):
    # the regions of the new jobs and of the known teachers' other jobs, whose lists show them.
    stamp_lists([row[0] for row in known_employments], {region for _, region in nodes.values()})


def _copy_places(
    employments: list[tuple[Any, ...]],
    ids: list[int],
    names: list[tuple[str, str, str]],
    nodes: dict[int, tuple[int, int]],
    writer: bulk.CopyWriter,
) -> None:
    """The `TeacherPlace` of each new employment (`EMPLOYMENT_COLUMNS` order, keys `ids`) with
    its teacher's stored names, as the place trigger would write it; `nodes`: each
    organization's municipality and region.

    The rows go in sorted by name (then teacher): the three name indexes of the places then
    receive their entries in key order, next to each other, instead of all over the index
    (measured: 1.47 → 0.80 database CPU-s for 100,000 places, docs/performance.md «Import»)."""
    if not ids:
        return
    teacher, organization, _position, _management, _kind, start, end = zip(
        *employments, strict=True
    )
    municipality, region = zip(*map(nodes.__getitem__, organization), strict=True)
    last, first, middle = zip(*names, strict=True)
    rows = zip(ids, teacher, organization, municipality, region, start, end, last, first, middle,
               strict=True)  # fmt: skip
    # (last name, first name, patronymic, teacher); ties keep the file's order
    by_name = operator.itemgetter(7, 8, 9, 1)
    writer.copy(TeacherPlace, PLACE_COLUMNS, sorted(rows, key=by_name))


def _bulk_update(objs: list[Any], model: Any, fields: list[str], **kwargs: Any) -> None:
    """bulk_update without the audit rows (only when the audit is switched off to measure it)."""
    model.objects.bulk_update(objs, fields, batch_size=kwargs.get("batch_size"))


TEACHER_STORED = ("id", "last_name", "first_name", "middle_name", *TEACHER_COLUMNS[4:])
EMPLOYMENT_STORED = ("id", "position", "is_management", "kind")


def _existing_teachers(snils: list[str]) -> dict[str, tuple[Any, ...]]:
    """Stored values of the teachers with these SNILS (`TEACHER_STORED` order), by SNILS."""
    queryset = Teacher.objects.values_list("snils", *TEACHER_STORED)
    return {row[0]: row[1:] for row in any_of(queryset, "snils", sorted(snils))}


def _active_employments(
    teacher_ids: list[int], today: datetime.date
) -> dict[tuple[int, int], tuple[Any, ...]]:
    """Each teacher's earliest active employment per organization (`EMPLOYMENT_STORED`)."""
    queryset = (
        Employment.objects.filter(active_employment_q(on=today))
        .order_by("start_date")
        .values_list("teacher_id", "organization_id", *EMPLOYMENT_STORED)
    )
    active: dict[tuple[int, int], tuple[Any, ...]] = {}
    for row in any_of(queryset, "teacher_id", teacher_ids):
        active.setdefault((row[0], row[1]), row[2:])
    return active


class _OrganizationResolver:
    """An organization named in a row, by INN or name; each distinct spelling resolved once.

    Only the organizations in the user's scope are indexed up front; the whole register is
    read only when a name is not among them (to tell «unknown» from «outside your scope»).
    """

    def __init__(self, ctx: ImportContext, allowed: Any) -> None:
        self.ctx = ctx
        self.allowed = OrganizationIndex(allowed)
        self.allowed_ids = {org.pk for orgs in self.allowed.by_name.values() for org in orgs}
        self.allowed_ids.update(org.pk for org in self.allowed.by_inn.values())
        self._everything: OrganizationIndex | None = None
        self._cache: dict[tuple[Any, Any], int | str] = {}

    def resolve(self, name_cell: Any, inn_cell: Any) -> int:
        key = (name_cell, inn_cell)
        found = self._cache.get(key)
        if found is None:
            try:
                found = self._resolve(clean_text(name_cell), clean_text(inn_cell))
            except CellError as error:
                found = str(error)
            self._cache[key] = found
        if isinstance(found, str):
            raise CellError(found)
        return found

    def _resolve(self, name: str, inn: str) -> int:
        ctx = self.ctx
        if not name and not inn:
            if ctx.organization is None:
                raise CellError(
                    _("Не указана организация: заполните столбец «Образовательная организация».")
                )
            return ctx.organization.pk
        inside = self.allowed.find(inn or name)
        candidates = inside
        if not inside:
            if self._everything is None:
                self._everything = OrganizationIndex(Organization.objects.all())
            candidates = self._everything.find(inn or name)
        if not candidates:
            raise CellError(
                _("Организация «%(name)s» не найдена в реестре организаций.")
                % {"name": inn or name}
            )
        if ctx.organization is not None:
            inside = [org for org in inside if org.pk == ctx.organization.pk]
        if not inside:
            raise CellError(
                _(
                    "Организация «%(name)s» вне вашей зоны ответственности: "
                    "загружать можно только педагогов своих организаций."
                )
                % {"name": candidates[0]}
            )
        if len(inside) > 1:
            raise CellError(
                _("Название «%(name)s» носят несколько организаций: укажите ИНН.") % {"name": name}
            )
        return inside[0].pk


def _field_errors(instance: Any) -> str:
    """Field checks without database queries (length, e-mail, SNILS)."""
    try:
        instance.clean_fields(exclude=["subjects"])
    except ValidationError as error:
        return " ".join(
            f"{instance._meta.get_field(name).verbose_name}: {' '.join(messages)}"
            if name != "__all__"
            else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return ""
