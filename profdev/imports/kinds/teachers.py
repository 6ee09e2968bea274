"""Teacher roster: teachers matched by SNILS, with their employment at an organization."""

import datetime
import functools
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
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
        today = timezone.localdate()
        all_orgs = OrganizationIndex(Organization.objects.all())
        allowed_ids = set(self.allowed_organizations(ctx).values_list("pk", flat=True))
        outcomes: list[Outcome] = []
        parsed: list[tuple[SourceRow, dict[str, Any]]] = []
        seen: dict[str, str] = {}
        for index, row in enumerate(rows):
            if index % 5000 == 0:
                ctx.progress(index, len(rows) * 2)
            try:
                data = self._parse(row, ctx, all_orgs, allowed_ids)
            except CellError as error:
                outcomes.append(Outcome(row, REJECTED, str(error)))
                continue
            if data["snils"] in seen:
                outcomes.append(
                    Outcome(
                        row,
                        REJECTED,
                        _("СНИЛС повторяется: он уже указан в строке %(other)s.")
                        % {"other": seen[data["snils"]]},
                    )
                )
                continue
            seen[data["snils"]] = row.number
            parsed.append((row, data))

        existing: dict[str, Teacher] = {}
        snils_list = [data["snils"] for _row, data in parsed]
        for start in range(0, len(snils_list), 900):
            for teacher in Teacher.objects.filter(snils__in=snils_list[start : start + 900]):
                existing[teacher.snils] = teacher
        changeable = (
            set(
                Teacher.objects.for_scope(ctx.scope, Action.CHANGE)
                .filter(pk__in=[t.pk for t in existing.values()])
                .values_list("pk", flat=True)
            )
            if existing
            else set()
        )
        active: dict[tuple[int, int], Employment] = {}
        teacher_ids = [t.pk for t in existing.values()]
        for start in range(0, len(teacher_ids), 900):
            for employment in Employment.objects.filter(
                active_employment_q(on=today), teacher_id__in=teacher_ids[start : start + 900]
            ).order_by("start_date"):
                active.setdefault((employment.teacher_id, employment.organization_id), employment)

        new_teachers: list[Teacher] = []
        changed_teachers: list[Teacher] = []
        new_employments: list[tuple[Teacher, dict[str, Any]]] = []
        changed_employments: list[Employment] = []
        teacher_fields: set[str] = set()
        employment_fields: set[str] = set()

        for index, (row, data) in enumerate(parsed):
            if index % 5000 == 0:
                ctx.progress(len(rows) + index, len(rows) * 2)
            teacher = existing.get(data["snils"])
            org: Organization = data["organization"]
            if teacher is None:
                teacher = Teacher(**data["teacher"], snils=data["snils"])
                problem = _field_errors(teacher)
                if problem:
                    outcomes.append(Outcome(row, REJECTED, problem))
                    continue
                new_teachers.append(teacher)
                new_employments.append((teacher, data["employment"]))
                outcomes.append(Outcome(row, CREATED))
                continue
            status = UNCHANGED
            changes = {
                name: value
                for name, value in data["teacher"].items()
                if getattr(teacher, name) != value
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
                problem = _field_errors(teacher)
                if problem:
                    outcomes.append(Outcome(row, REJECTED, problem))
                    continue
                teacher_fields.update(changes)
                changed_teachers.append(teacher)
                status = UPDATED
            employment = active.get((teacher.pk, org.pk))
            if employment is None:
                new_employments.append((teacher, data["employment"]))
                status = UPDATED
            else:
                emp_changes = {
                    name: value
                    for name, value in data["employment"].items()
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
            bulk_create_with_history(new_teachers, Teacher, batch_size=BATCH, default_user=ctx.user)
            missing_pk = [t for t in new_teachers if t.pk is None]
            if missing_pk:  # databases that do not return primary keys from bulk inserts
                ids = dict(
                    Teacher.objects.filter(snils__in=[t.snils for t in missing_pk]).values_list(
                        "snils", "pk"
                    )
                )
                for t in missing_pk:
                    t.pk = ids[t.snils]
            if changed_teachers:
                bulk_update_with_history(
                    changed_teachers,
                    Teacher,
                    sorted(teacher_fields),
                    batch_size=BATCH,
                    default_user=ctx.user,
                )
            employments = [
                Employment(teacher_id=teacher.pk, **values) for teacher, values in new_employments
            ]
            bulk_create_with_history(
                employments, Employment, batch_size=BATCH, default_user=ctx.user
            )
            if changed_employments:
                bulk_update_with_history(
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
        orgs: OrganizationIndex,
        allowed_ids: set[int],
    ) -> dict[str, Any]:
        cells = row.cells
        last = clean_text(cells.get("last_name"))
        first = clean_text(cells.get("first_name"))
        middle = clean_text(cells.get("middle_name"))
        if not last and not first and "full_name" in cells:
            last, first, middle = split_full_name(cells.get("full_name"))
        if not last:
            raise CellError(_("Не указана фамилия."))
        if not first:
            raise CellError(_("Не указано имя."))
        snils = parse_snils(cells.get("snils"))
        # A blank cell never erases a stored value, so only filled cells are compared.
        teacher: dict[str, Any] = {"last_name": last, "first_name": first}
        if middle:
            teacher["middle_name"] = middle
        try:
            if "career_start" in cells:
                career = parse_date(cells.get("career_start"))
                if career and career > timezone.localdate():
                    raise CellError(_("Дата начала педагогической деятельности в будущем."))
                if career:
                    teacher["career_start"] = career
            if "birth_date" in cells:
                parse_date(cells.get("birth_date"))
            start = parse_date(cells.get("start_date")) if "start_date" in cells else None
        except CellError as error:
            raise CellError(error.args[0]) from None
        if clean_text(cells.get("qualification_category")):
            teacher["qualification_category"] = parse_choice(
                cells["qualification_category"], QualificationCategory
            )
        if clean_text(cells.get("email")):
            teacher["email"] = clean_text(cells["email"])
        organization = self._organization(cells, ctx, orgs, allowed_ids)
        position = parse_position(cells.get("position"))
        employment: dict[str, Any] = {
            "organization": organization,
            "position": position,
            "is_management": position in MANAGEMENT_POSITIONS,
            "kind": parse_choice(
                cells.get("employment_kind"), EmploymentKind, default=EmploymentKind.MAIN
            ),
            "start_date": start or timezone.localdate(),
        }
        given = {"position", "is_management"} if "position" in cells else set()
        if clean_text(cells.get("employment_kind")):
            given.add("kind")
        return {
            "snils": snils,
            "teacher": teacher,
            "organization": organization,
            "employment": employment,
            "employment_given": given,
        }

    def _organization(
        self,
        cells: dict[str, Any],
        ctx: ImportContext,
        orgs: OrganizationIndex,
        allowed_ids: set[int],
    ) -> Organization:
        name = clean_text(cells.get("organization"))
        inn = clean_text(cells.get("organization_inn"))
        if not name and not inn:
            if ctx.organization is None:
                raise CellError(
                    _("Не указана организация: заполните столбец «Образовательная организация».")
                )
            return ctx.organization
        candidates = orgs.find(inn) if inn else orgs.find(name)
        if not candidates and ctx.organization is not None and name:
            # The default organization under a different spelling is still it.
            candidates = []
        if not candidates:
            raise CellError(
                _("Организация «%(name)s» не найдена в реестре организаций.")
                % {"name": inn or name}
            )
        inside = [org for org in candidates if org.pk in allowed_ids]
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
        return inside[0]

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
