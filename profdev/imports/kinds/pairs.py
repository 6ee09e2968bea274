"""Mentor pairs: mentor and mentee by SNILS, the school, the form of mentoring and the dates.

One row is one mentee; rows with the same school, mentor, form and start date make one pair
(a group). The rules of `mentorship.services.pair_create` are checked for the whole file
first (so the preview shows every refused row), and the writes then go through
`pair_create` / `pair_update` themselves, which check them again (a refusal there cancels the
whole import: nothing is half-applied).
"""

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from profdev.accounts.choices import Role
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
    teachers_by_snils,
    unknown_teacher,
)
from profdev.imports.kinds.orgmatch import OrganizationIndex
from profdev.imports.values import CellError, clean_text, normalize_key, parse_date, parse_snils
from profdev.mentorship.choices import PairStatus
from profdev.mentorship.models import MentoringForm, MentorPair
from profdev.mentorship.services import pair_create, pair_update
from profdev.orgs.models import Organization
from profdev.orgs.scoping import Action
from profdev.people.models import Employment, Teacher

FORM_EXAMPLE = "опытный педагог – молодой специалист"


def _date(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


@dataclasses.dataclass
class _Group:
    """The rows that make one pair (new, or an existing one that gains mentees)."""

    organization: Organization
    mentor: Teacher
    form: MentoringForm
    start_date: datetime.date
    planned_end: datetime.date
    goals: str
    first_row: str = ""
    pair: MentorPair | None = None
    mentees: list[Teacher] = dataclasses.field(default_factory=list)
    added: list[Teacher] = dataclasses.field(default_factory=list)


class PairsKind(ImportKind):
    """Mentor pairs of a school's target model («Наставнические пары»)."""

    key = "pairs"
    title = gettext_lazy("Наставнические пары")
    columns = (
        Column("number", "№ п/п", ("№", "номер", "п/п", "№пп", "N"), example=1, width=6),
        Column(
            "mentor_snils",
            "СНИЛС наставника",
            ("СНИЛС наставник",),
            required=True,
            example="112-233-445 95",
            width=16,
        ),
        Column("mentor_name", "ФИО наставника", ("Наставник",), example="Петрова Мария Ивановна"),
        Column(
            "mentee_snils",
            "СНИЛС наставляемого",
            ("СНИЛС наставляемый",),
            required=True,
            example="123-456-789 64",
            width=16,
        ),
        Column(
            "mentee_name",
            "ФИО наставляемого",
            ("Наставляемый",),
            example="Иванова Анна Петровна",
        ),
        Column(
            "organization",
            "Образовательная организация",
            ("Организация", "ОО", "Школа", "Наименование ОО"),
            example="МБОУ «СОШ № 1»",
            width=40,
        ),
        Column("organization_inn", "ИНН организации", ("ИНН ОО", "ИНН"), width=14),
        Column(
            "form",
            "Форма наставничества",
            ("Форма", "Модель наставничества"),
            required=True,
            example=FORM_EXAMPLE,
            width=40,
        ),
        Column(
            "start_date",
            "Дата начала",
            ("Начало", "Дата закрепления", "Дата начала наставничества"),
            required=True,
            example=datetime.date(2024, 9, 1),
            width=14,
        ),
        Column(
            "planned_end",
            "Плановое окончание",
            ("Дата окончания", "Окончание", "Плановая дата окончания"),
            required=True,
            example=datetime.date(2025, 6, 30),
            width=14,
        ),
        Column("goals", "Цели", ("Цель", "Цели наставничества"), width=40),
    )

    def template_columns(self) -> Sequence[Column]:
        """The form's drop-down lists the forms in use, as the catalogue has them now."""
        names = list(MentoringForm.objects.filter(is_active=True).values_list("name", flat=True))
        return tuple(
            dataclasses.replace(column, choices=names) if column.key == "form" else column
            for column in self.columns
        )

    def check_access(self, ctx: ImportContext) -> None:
        if ctx.scope.role not in MentorPair.scope_write_roles:
            raise PermissionDenied(
                _("Загружать наставнические пары могут оператор и координаторы МОУО и ОО.")
            )

    def plan(self, rows: list[SourceRow], ctx: ImportContext) -> Plan:
        today = timezone.localdate()
        forms: dict[str, MentoringForm] = {}
        for known in MentoringForm.objects.filter(is_active=True):
            forms[normalize_key(known.name)] = known
            forms[normalize_key(known.code)] = known
        allowed = OrganizationIndex(Organization.objects.for_scope(ctx.scope, Action.VIEW))
        org_cache: dict[tuple[str, str], Organization | str] = {}

        outcomes: list[Outcome] = []
        parsed: list[tuple[SourceRow, dict[str, Any]]] = []
        for row in rows:
            try:
                data = self._parse(row, forms)
                data["organization"] = self._organization(row, ctx, allowed, org_cache)
            except CellError as error:
                outcomes.append(Outcome(row, REJECTED, str(error)))
                continue
            parsed.append((row, data))

        people = teachers_by_snils(
            snils for _r, d in parsed for snils in (d["mentor_snils"], d["mentee_snils"])
        )
        visible = ids_in_scope(Teacher, ctx.scope, [t.pk for t in people.values()], Action.VIEW)
        # Employments of everyone named: «works in the municipality on the start date».
        jobs: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = {}
        for part in chunks(sorted(t.pk for t in people.values())):
            for teacher_id, municipality_id, start, end in Employment.objects.filter(
                teacher_id__in=part
            ).values_list("teacher_id", "organization__municipality_id", "start_date", "end_date"):
                jobs.setdefault(teacher_id, []).append((municipality_id, start, end))
        # Active pairs of the mentees named: the same mentee in two active pairs of one form.
        busy: dict[tuple[int, int], int] = {}
        pairs_by_key: dict[tuple[int, int, int, datetime.date], MentorPair] = {}
        members: dict[int, set[int]] = {}
        through = MentorPair.mentees.through
        mentee_ids = sorted(
            people[d["mentee_snils"]].pk for _r, d in parsed if d["mentee_snils"] in people
        )
        for part in chunks(mentee_ids):
            for pair_id, teacher_id, form_id in through.objects.filter(
                teacher_id__in=part, mentorpair__status=PairStatus.ACTIVE
            ).values_list("mentorpair_id", "teacher_id", "mentorpair__form_id"):
                busy[(teacher_id, form_id)] = pair_id
        mentor_ids = sorted(
            people[d["mentor_snils"]].pk for _r, d in parsed if d["mentor_snils"] in people
        )
        for part in chunks(mentor_ids):
            for pair in MentorPair.objects.filter(mentor_id__in=part).select_related("form"):
                key = (pair.organization_id, pair.mentor_id, pair.form_id, pair.start_date)
                pairs_by_key[key] = pair
                members[pair.pk] = set()
        for part in chunks(sorted(members)):
            for pair_id, teacher_id in through.objects.filter(mentorpair_id__in=part).values_list(
                "mentorpair_id", "teacher_id"
            ):
                members[pair_id].add(teacher_id)

        def works_in_municipality(
            teacher: Teacher, municipality_id: int, on: datetime.date
        ) -> bool:
            return any(
                m == municipality_id and start <= on and (end is None or end >= on)
                for m, start, end in jobs.get(teacher.pk, [])
            )

        groups: dict[tuple[int, int, int, datetime.date], _Group] = {}
        seen: dict[tuple[int, int], str] = {}
        for row, data in parsed:
            org: Organization = data["organization"]
            form: MentoringForm = data["form"]
            try:
                mentor = self._person(people, data["mentor_snils"], row.cells.get("mentor_name"))
                mentee = self._person(people, data["mentee_snils"], row.cells.get("mentee_name"))
                if mentor.pk == mentee.pk:
                    raise CellError(_("Наставник не может быть своим наставляемым."))
                if mentee.pk not in visible:
                    raise CellError(
                        _("Наставляемый %(name)s вне вашей зоны ответственности.")
                        % {"name": mentee.full_name}
                    )
                on = min(data["start_date"], today)
                if mentor.pk not in visible and not (
                    ctx.scope.role == Role.SCHOOL
                    and works_in_municipality(mentor, org.municipality_id, on)
                ):
                    raise CellError(
                        _("Наставник %(name)s вне вашей зоны ответственности.")
                        % {"name": mentor.full_name}
                    )
                for person in (mentor, mentee):
                    if not works_in_municipality(person, org.municipality_id, on):
                        raise CellError(
                            _(
                                "%(name)s не работает в муниципалитете организации на "
                                "%(date)s: межшкольные пары возможны только внутри "
                                "муниципалитета."
                            )
                            % {"name": person.full_name, "date": _date(on)}
                        )
            except CellError as error:
                outcomes.append(Outcome(row, REJECTED, str(error)))
                continue
            if (mentee.pk, form.pk) in seen:
                outcomes.append(
                    Outcome(
                        row,
                        REJECTED,
                        _(
                            "Наставляемый с этой формой наставничества уже указан в строке %(other)s."
                        )
                        % {"other": seen[(mentee.pk, form.pk)]},
                    )
                )
                continue
            key = (org.pk, mentor.pk, form.pk, data["start_date"])
            pair = pairs_by_key.get(key)
            other = busy.get((mentee.pk, form.pk))
            if other is not None and (pair is None or other != pair.pk):
                outcomes.append(
                    Outcome(
                        row,
                        REJECTED,
                        _("%(name)s уже состоит в действующей паре формы «%(form)s».")
                        % {"name": mentee.full_name, "form": form},
                    )
                )
                continue
            group = groups.get(key)
            if group is not None and group.planned_end != data["planned_end"]:
                outcomes.append(
                    Outcome(
                        row,
                        REJECTED,
                        _(
                            "Плановое окончание отличается от указанного для этой пары в строке "
                            "%(other)s."
                        )
                        % {"other": group.first_row},
                    )
                )
                continue
            seen[(mentee.pk, form.pk)] = row.number
            if group is None:
                group = groups[key] = _Group(
                    organization=org,
                    mentor=mentor,
                    form=form,
                    start_date=data["start_date"],
                    planned_end=data["planned_end"],
                    goals=data["goals"],
                    first_row=row.number,
                    pair=pair,
                )
            group.mentees.append(mentee)
            if pair is None:
                outcomes.append(Outcome(row, CREATED))
            elif mentee.pk not in members.get(pair.pk, set()):
                group.added.append(mentee)
                outcomes.append(Outcome(row, UPDATED))
            elif pair.planned_end != data["planned_end"] or (
                data["goals"] and pair.goals != data["goals"]
            ):
                outcomes.append(Outcome(row, UPDATED))
            else:
                outcomes.append(Outcome(row, UNCHANGED))

        def apply() -> None:
            for group in groups.values():
                if group.pair is None:
                    pair_create(
                        user=ctx.user,
                        organization=group.organization,
                        mentor=group.mentor,
                        mentees=group.mentees,
                        form=group.form,
                        start_date=group.start_date,
                        planned_end=group.planned_end,
                        goals=group.goals,
                    )
                    continue
                pair = group.pair
                fields: dict[str, Any] = {}
                if group.added:
                    current = list(Teacher.objects.filter(pk__in=members.get(pair.pk, set())))
                    fields["mentees"] = current + group.added
                if pair.planned_end != group.planned_end:
                    fields["planned_end"] = group.planned_end
                if group.goals and pair.goals != group.goals:
                    fields["goals"] = group.goals
                if fields:
                    pair_update(user=ctx.user, pair=pair, **fields)

        return Plan(outcomes=outcomes, apply=apply)

    def _person(self, people: dict[str, Teacher], snils: str, name: Any) -> Teacher:
        teacher = people.get(snils)
        if teacher is None:
            raise CellError(unknown_teacher())
        check_name(teacher, name)
        return teacher

    def _parse(self, row: SourceRow, forms: dict[str, MentoringForm]) -> dict[str, Any]:
        cells = row.cells
        mentor_snils = parse_snils(cells.get("mentor_snils"))
        mentee_snils = parse_snils(cells.get("mentee_snils"))
        form_text = clean_text(cells.get("form"))
        if not form_text:
            raise CellError(_("Не указана форма наставничества."))
        form = forms.get(normalize_key(form_text))
        if form is None:
            raise CellError(
                _("Форма наставничества «%(value)s» не из списка: %(allowed)s.")
                % {
                    "value": form_text,
                    "allowed": ", ".join(sorted({f.name for f in forms.values()})),
                }
            )
        start = parse_date(cells.get("start_date"))
        planned_end = parse_date(cells.get("planned_end"))
        if start is None:
            raise CellError(_("Не указана дата начала."))
        if planned_end is None:
            raise CellError(_("Не указано плановое окончание."))
        if planned_end < start:
            raise CellError(_("Пара не может заканчиваться раньше, чем начинается."))
        return {
            "mentor_snils": mentor_snils,
            "mentee_snils": mentee_snils,
            "form": form,
            "start_date": start,
            "planned_end": planned_end,
            "goals": clean_text(cells.get("goals")),
        }

    def _organization(
        self,
        row: SourceRow,
        ctx: ImportContext,
        allowed: OrganizationIndex,
        cache: dict[tuple[str, str], Organization | str],
    ) -> Organization:
        name = clean_text(row.cells.get("organization"))
        inn = clean_text(row.cells.get("organization_inn"))
        if not name and not inn:
            if ctx.organization is None:
                raise CellError(
                    _("Не указана организация: заполните столбец «Образовательная организация».")
                )
            return ctx.organization
        key = (name, inn)
        if key not in cache:
            found = allowed.find(inn or name)
            if len(found) == 1:
                cache[key] = found[0]
            elif found:
                cache[key] = _("Название «%(name)s» носят несколько организаций: укажите ИНН.") % {
                    "name": name
                }
            elif OrganizationIndex(Organization.objects.all()).find(inn or name):
                cache[key] = _("Организация «%(name)s» вне вашей зоны ответственности.") % {
                    "name": inn or name
                }
            else:
                cache[key] = _("Организация «%(name)s» не найдена в реестре организаций.") % {
                    "name": inn or name
                }
        value = cache[key]
        if isinstance(value, str):
            raise CellError(value)
        return value

    def export_rows(self, ctx: ImportContext) -> ExportData:
        pairs = (
            MentorPair.objects.for_scope(ctx.scope, Action.CHANGE)
            .filter(status=PairStatus.ACTIVE)
            .select_related("organization", "mentor", "form")
            .prefetch_related("mentees")
            .order_by("organization__name", "start_date", "pk")
        )
        data = ExportData()
        number = 0
        for pair in pairs:
            for mentee in sorted(pair.mentees.all(), key=lambda t: t.pk):
                number += 1
                data.teacher_ids.update({pair.mentor_id, mentee.pk})
                data.rows.append(
                    [
                        number,
                        pair.mentor.snils_formatted,
                        pair.mentor.full_name,
                        mentee.snils_formatted,
                        mentee.full_name,
                        pair.organization.name,
                        pair.organization.inn,
                        pair.form.name,
                        pair.start_date,
                        pair.planned_end,
                        pair.goals,
                    ]
                )
        return data
