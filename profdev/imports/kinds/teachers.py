"""Teacher roster: teachers matched by SNILS, with their employment at an organization."""

import datetime
import functools
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
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
from profdev.imports.kinds.common import any_of, ids_in_scope, teachers_by_snils
from profdev.imports.kinds.orgmatch import OrganizationIndex
from profdev.imports.values import (
    CellError,
    clean_text,
    normalize_key,
    parse_choice,
    parse_date,
    parse_snils,
    split_full_name,
)
from profdev.orgs.models import Organization
from profdev.orgs.scoping import Action
from profdev.people.choices import (
    MANAGEMENT_POSITIONS,
    EmploymentKind,
    Position,
    QualificationCategory,
)
from profdev.people.models import Employment, Teacher, active_employment_q

BATCH = 2000

# Prefixes of the position names people actually write, longest first.
_POSITION_PREFIXES: list[tuple[str, str]] = sorted(
    [
        ("заместительдиректора", Position.DEPUTY_DIRECTOR),
        ("замдиректора", Position.DEPUTY_DIRECTOR),
        ("директор", Position.DIRECTOR),
        ("учительлогопед", Position.SPEECH_THERAPIST),
        ("логопед", Position.SPEECH_THERAPIST),
        ("учитель", Position.TEACHER),
        ("педагогпсихолог", Position.PSYCHOLOGIST),
        ("психолог", Position.PSYCHOLOGIST),
        ("социальныйпедагог", Position.SOCIAL_PEDAGOGUE),
        ("педагогдополнительного", Position.ADDITIONAL_EDUCATION),
        ("педагогорганизатор", Position.ORGANIZER),
        ("советник", Position.ADVISOR),
        ("педагогбиблиотекарь", Position.LIBRARIAN),
        ("воспитатель", Position.EDUCATOR),
    ],
    key=lambda item: -len(item[0]),
)


def parse_position(value: Any) -> str:
    """A position code from its label or a longer wording («заместитель директора по УВР»)."""
    return _position_by_key(normalize_key(value))


@functools.lru_cache(maxsize=4096)
def _position_by_key(key: str) -> str:
    # Cached: a roster repeats a handful of wordings, and translated labels are slow to build.
    if not key:
        return str(Position.TEACHER)
    for code, label in Position.choices:
        if key in (normalize_key(code), normalize_key(label)):
            return str(code)
    for prefix, code in _POSITION_PREFIXES:
        if key.startswith(prefix):
            return str(code)
    return str(Position.OTHER)


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
        """Set-based: one query per chunk of SNILS for the teachers and their employments,
        cached look-ups for repeated cell values, and new rows written as plain tuples."""
        today = timezone.localdate()
        orgs = _OrganizationResolver(ctx, self.allowed_organizations(ctx))
        total = len(rows) * 2
        outcomes: list[Outcome] = []
        parsed: list[tuple[SourceRow, dict[str, Any]]] = []
        seen: dict[str, str] = {}
        parse = self._parse
        for index, row in enumerate(rows):
            if index % 5000 == 0:
                ctx.progress(index, total)
            try:
                data = parse(row, ctx, orgs, today)
            except CellError as error:
                outcomes.append(Outcome(row, REJECTED, str(error)))
                continue
            snils = data["snils"]
            if snils in seen:
                outcomes.append(
                    Outcome(
                        row,
                        REJECTED,
                        _("СНИЛС повторяется: он уже указан в строке %(other)s.")
                        % {"other": seen[snils]},
                    )
                )
                continue
            seen[snils] = row.number
            parsed.append((row, data))

        existing: dict[str, Teacher] = teachers_by_snils(seen)
        changeable = ids_in_scope(
            Teacher, ctx.scope, [t.pk for t in existing.values()], Action.CHANGE
        )
        active: dict[tuple[int, int], Employment] = {}
        for employment in any_of(
            Employment.objects.filter(active_employment_q(on=today)).order_by("start_date"),
            "teacher_id",
            sorted(t.pk for t in existing.values()),
        ):
            active.setdefault((employment.teacher_id, employment.organization_id), employment)

        new_teachers: list[tuple[Any, ...]] = []
        # (index into new_teachers, or an existing teacher's pk; the employment's values)
        new_employments: list[tuple[int, bool, tuple[Any, ...]]] = []
        changed_teachers: list[Teacher] = []
        changed_employments: list[Employment] = []
        teacher_fields: set[str] = set()
        employment_fields: set[str] = set()

        for index, (row, data) in enumerate(parsed):
            if index % 5000 == 0:
                ctx.progress(len(rows) + index, total)
            values = data["teacher"]
            employment_values = data["employment"]
            teacher = existing.get(data["snils"])
            if teacher is None:
                new_employments.append((len(new_teachers), True, employment_values))
                new_teachers.append(
                    (
                        values["last_name"],
                        values["first_name"],
                        values.get("middle_name", ""),
                        data["snils"],
                        values.get("qualification_category", QualificationCategory.NONE),
                        values.get("career_start"),
                        values.get("email", ""),
                    )
                )
                outcomes.append(Outcome(row, CREATED))
                continue
            status = UNCHANGED
            changes = {
                name: value for name, value in values.items() if getattr(teacher, name) != value
            }
            if changes:
                if teacher.pk not in changeable:
                    outcomes.append(
                        Outcome(
                            row,
                            REJECTED,
                            _(
                                "Педагог с этим СНИЛС (%(name)s) работает в организации вне "
                                "вашей зоны ответственности; его данные может изменить "
                                "оператор ЦНППМ."
                            )
                            % {"name": teacher.full_name},
                        )
                    )
                    continue
                for name, value in changes.items():
                    setattr(teacher, name, value)
                teacher_fields.update(changes)
                changed_teachers.append(teacher)
                status = UPDATED
            employment = active.get((teacher.pk, data["organization_id"]))
            if employment is None:
                new_employments.append((teacher.pk, False, employment_values))
                status = UPDATED
            else:
                emp_changes = {
                    name: value
                    for name, value in zip(EMPLOYMENT_COLUMNS[1:], employment_values, strict=True)
                    if name in data["employment_given"] and getattr(employment, name) != value
                }
                if emp_changes:
                    for name, value in emp_changes.items():
                        setattr(employment, name, value)
                    employment_fields.update(emp_changes)
                    changed_employments.append(employment)
                    status = UPDATED
            outcomes.append(Outcome(row, status))

        def apply() -> None:
            reason = _("Импорт: %(file)s") % {"file": ctx.filename} if ctx.filename else ""
            teacher_ids = bulk.insert(Teacher, TEACHER_COLUMNS, new_teachers)
            employments = [
                (teacher_ids[ref] if is_new else ref, *values)
                for ref, is_new, values in new_employments
            ]
            employment_ids = bulk.insert(Employment, EMPLOYMENT_COLUMNS, employments)
            if ctx.audit:
                bulk.insert_history(
                    Teacher,
                    TEACHER_COLUMNS,
                    new_teachers,
                    teacher_ids,
                    user=ctx.user,
                    reason=reason,
                )
                bulk.insert_history(
                    Employment,
                    EMPLOYMENT_COLUMNS,
                    employments,
                    employment_ids,
                    user=ctx.user,
                    reason=reason,
                )
            update = bulk_update_with_history if ctx.audit else _bulk_update
            if changed_teachers:
                update(
                    changed_teachers,
                    Teacher,
                    sorted(teacher_fields),
                    batch_size=BATCH,
                    default_user=ctx.user,
                )
            if changed_employments:
                update(
                    changed_employments,
                    Employment,
                    sorted(employment_fields),
                    batch_size=BATCH,
                    default_user=ctx.user,
                )

        return Plan(outcomes=outcomes, apply=apply)

    def _parse(
        self,
        row: SourceRow,
        ctx: ImportContext,
        orgs: "_OrganizationResolver",
        today: datetime.date,
    ) -> dict[str, Any]:
        cells = row.cells
        get = cells.get
        last = _clean(get("last_name"))
        first = _clean(get("first_name"))
        middle = _clean(get("middle_name"))
        if not last and not first and "full_name" in cells:
            last, first, middle = split_full_name(get("full_name"))
        if not last:
            raise CellError(_("Не указана фамилия."))
        if not first:
            raise CellError(_("Не указано имя."))
        snils = parse_snils(get("snils"))
        # A blank cell never erases a stored value, so only filled cells are compared.
        teacher: dict[str, Any] = {"last_name": last, "first_name": first}
        if middle:
            teacher["middle_name"] = middle
        for name, value in teacher.items():
            if len(value) > _MAX_LENGTH[name]:
                raise CellError(_too_long(name))
        career = get("career_start")
        if career is not None and career != "":
            career = career if career.__class__ is datetime.date else parse_date(career)
            if career and career > today:
                raise CellError(_("Дата начала педагогической деятельности в будущем."))
            if career:
                teacher["career_start"] = career
        birth = get("birth_date")
        if birth is not None and birth != "":
            parse_date(birth)
        start = get("start_date")
        start = parse_date(start) if start is not None and start != "" else None
        category = get("qualification_category")
        if category is not None and _clean(category):
            teacher["qualification_category"] = parse_choice(category, QualificationCategory)
        email = get("email")
        if email is not None and _clean(email):
            teacher["email"] = _email(_clean(email))
        organization_id = orgs.resolve(get("organization"), get("organization_inn"))
        position = parse_position(get("position"))
        kind_cell = get("employment_kind")
        kind_given = kind_cell is not None and bool(_clean(kind_cell))
        employment = (
            organization_id,
            position,
            position in MANAGEMENT_POSITIONS,
            parse_choice(kind_cell, EmploymentKind) if kind_given else str(EmploymentKind.MAIN),
            start or today,
            None,
        )
        given = {"position", "is_management"} if "position" in cells else set()
        if kind_given:
            given.add("kind")
        return {
            "snils": snils,
            "teacher": teacher,
            "organization_id": organization_id,
            "employment": employment,
            "employment_given": given,
        }

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
_MAX_LENGTH: dict[str, int] = {
    name: getattr(Teacher._meta.get_field(name), "max_length", 0) or 0
    for name in ("last_name", "first_name", "middle_name", "email")
}
_clean = functools.lru_cache(maxsize=65536, typed=True)(clean_text)


def _too_long(name: str) -> str:
    return _("%(field)s: не более %(limit)s символов.") % {
        "field": str(getattr(Teacher._meta.get_field(name), "verbose_name", name)).capitalize(),
        "limit": _MAX_LENGTH[name],
    }


def _email(value: str) -> str:
    if len(value) > _MAX_LENGTH["email"]:
        raise CellError(_too_long("email"))
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(
            _("Адрес эл. почты «%(value)s» указан неверно.") % {"value": value}
        ) from None
    return value


def _bulk_update(objs: list[Any], model: Any, fields: list[str], **kwargs: Any) -> None:
    """bulk_update without the audit rows (only when the audit is switched off to measure it)."""
    model.objects.bulk_update(objs, fields, batch_size=kwargs.get("batch_size"))


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
