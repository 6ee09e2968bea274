"""Event participants: an event, then a person by SNILS or an organization, and a role.

The rules are those of `events.services.participation_add`: the user may change the event's
participants (a municipal coordinator only on municipal events of their municipality), the
teacher or organization is within the user's scope, each one takes part once per event.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from profdev.events.choices import ParticipationRole
from profdev.events.models import Event, EventParticipation
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
from profdev.imports.values import (
    CellError,
    clean_text,
    normalize_key,
    parse_choice,
    parse_date,
    parse_snils,
)
from profdev.orgs.models import Organization
from profdev.orgs.scoping import Action
from profdev.people.models import Teacher

BATCH = 2000


class ParticipantsKind(ImportKind):
    """Who took part in an event («Список участников мероприятия»)."""

    key = "participants"
    title = gettext_lazy("Участники мероприятий")
    columns = (
        Column("number", "№ п/п", ("№", "номер", "п/п", "№пп", "N"), example=1, width=6),
        Column(
            "event",
            "Мероприятие",
            ("Название мероприятия", "Наименование мероприятия", "Событие"),
            required=True,
            example="Региональный семинар «Наставничество в школе»",
            width=45,
        ),
        Column(
            "event_date",
            "Дата мероприятия",
            ("Дата проведения", "Дата начала мероприятия", "Дата"),
            example=datetime.date(2024, 3, 15),
            width=16,
        ),
        Column(
            "snils",
            "СНИЛС",
            ("Страховой номер", "Номер СНИЛС", "СНИЛС участника", "СНИЛС педагога"),
            required=True,
            example="112-233-445 95",
            width=16,
        ),
        Column(
            "full_name",
            "ФИО",
            ("Ф.И.О.", "Фамилия, имя, отчество", "ФИО участника", "Участник"),
            example="Иванова Анна Петровна",
            width=32,
        ),
        Column(
            "organization",
            "Организация",
            ("Образовательная организация", "ОО", "Организация-участник", "Школа"),
            example="",
            width=40,
        ),
        Column("organization_inn", "ИНН организации", ("ИНН ОО", "ИНН"), width=14),
        Column(
            "role",
            "Роль",
            ("Роль участника", "Статус участника", "Форма участия"),
            example=str(ParticipationRole.PARTICIPANT.label),
            choices=[str(label) for _c, label in ParticipationRole.choices],
            width=22,
        ),
    )
    # A row names a person (SNILS) or an organization.
    alternatives = (("snils", "organization"),)

    def check_access(self, ctx: ImportContext) -> None:
        if ctx.scope.role not in EventParticipation.scope_write_roles:
            raise PermissionDenied(
                _("Загружать участников мероприятий могут оператор, методисты и координаторы МОУО.")
            )

    def plan(self, rows: list[SourceRow], ctx: ImportContext) -> Plan:
        visible_events = list(Event.objects.for_scope(ctx.scope, Action.VIEW))
        changeable = set(
            Event.objects.for_scope(ctx.scope, Action.CHANGE).values_list("pk", flat=True)
        )
        events: dict[str, list[Event]] = {}
        for visible_event in visible_events:
            events.setdefault(normalize_key(visible_event.title), []).append(visible_event)
        orgs_in_scope = OrganizationIndex(Organization.objects.for_scope(ctx.scope, Action.VIEW))
        all_orgs: OrganizationIndex | None = None

        outcomes: list[Outcome] = []
        parsed: list[tuple[SourceRow, dict[str, Any]]] = []
        for row in rows:
            try:
                data = self._parse(row, events, changeable)
                if data["snils"] is None:
                    name = clean_text(row.cells.get("organization"))
                    inn = clean_text(row.cells.get("organization_inn"))
                    found = orgs_in_scope.find(inn or name)
                    if not found:
                        if all_orgs is None:
                            all_orgs = OrganizationIndex(Organization.objects.all())
                        if all_orgs.find(inn or name):
                            raise CellError(
                                _("Организация «%(name)s» вне вашей зоны ответственности.")
                                % {"name": inn or name}
                            )
                        raise CellError(
                            _("Организация «%(name)s» не найдена в реестре организаций.")
                            % {"name": inn or name}
                        )
                    if len(found) > 1:
                        raise CellError(
                            _("Название «%(name)s» носят несколько организаций: укажите ИНН.")
                            % {"name": name}
                        )
                    data["organization"] = found[0]
                parsed.append((row, data))
            except CellError as error:
                outcomes.append(Outcome(row, REJECTED, str(error)))

        teachers = teachers_by_snils(d["snils"] for _r, d in parsed if d["snils"])
        visible = ids_in_scope(Teacher, ctx.scope, [t.pk for t in teachers.values()], Action.VIEW)
        event_ids = sorted({d["event"].pk for _r, d in parsed})
        existing: dict[tuple[int, str, int], EventParticipation] = {}
        for part in chunks(event_ids):
            for participation in EventParticipation.objects.filter(event_id__in=part):
                if participation.teacher_id:
                    existing[(participation.event_id, "t", participation.teacher_id)] = (
                        participation
                    )
                else:
                    existing[(participation.event_id, "o", participation.organization_id)] = (
                        participation
                    )

        new: list[EventParticipation] = []
        changed: list[EventParticipation] = []
        seen: dict[tuple[int, str, int], str] = {}
        for row, data in parsed:
            event: Event = data["event"]
            teacher: Teacher | None = None
            organization: Organization | None = data.get("organization")
            if data["snils"]:
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
                if reason or teacher is None:
                    outcomes.append(Outcome(row, REJECTED, reason))
                    continue
                key = (event.pk, "t", teacher.pk)
            else:
                assert organization is not None
                key = (event.pk, "o", organization.pk)
            if key in seen:
                outcomes.append(
                    Outcome(
                        row,
                        REJECTED,
                        _("Участник повторяется: он уже указан в строке %(other)s.")
                        % {"other": seen[key]},
                    )
                )
                continue
            seen[key] = row.number
            participation = existing.get(key)
            if participation is None:
                new.append(
                    EventParticipation(
                        event=event,
                        teacher=teacher,
                        organization=None if teacher else organization,
                        role=data["role"] or ParticipationRole.PARTICIPANT,
                    )
                )
                outcomes.append(Outcome(row, CREATED))
            elif data["role"] and participation.role != data["role"]:
                participation.role = data["role"]
                changed.append(participation)
                outcomes.append(Outcome(row, UPDATED))
            else:
                outcomes.append(Outcome(row, UNCHANGED))

        def apply() -> None:
            bulk_create_with_history(
                new, EventParticipation, batch_size=BATCH, default_user=ctx.user
            )
            if changed:
                bulk_update_with_history(
                    changed, EventParticipation, ["role"], batch_size=BATCH, default_user=ctx.user
                )

        return Plan(outcomes=outcomes, apply=apply)

    def _parse(
        self, row: SourceRow, events: dict[str, list[Event]], changeable: set[int]
    ) -> dict[str, Any]:
        cells = row.cells
        title = clean_text(cells.get("event"))
        if not title:
            raise CellError(_("Не указано мероприятие."))
        candidates = events.get(normalize_key(title), [])
        day = parse_date(cells.get("event_date"))
        if day is not None:
            candidates = [e for e in candidates if e.start_date <= day <= e.end_date]
        if not candidates:
            raise CellError(
                _(
                    "Мероприятие «%(title)s»%(date)s не найдено (или вне вашей зоны ответственности)."
                )
                % {"title": title, "date": f" ({day:%d.%m.%Y})" if day else ""}
            )
        if len(candidates) > 1:
            raise CellError(
                _("Мероприятий «%(title)s» несколько: укажите дату мероприятия.") % {"title": title}
            )
        event = candidates[0]
        if event.pk not in changeable:
            raise CellError(
                _(
                    "У вас нет прав изменять участников мероприятия «%(title)s» "
                    "(координатор МОУО ведёт только муниципальные мероприятия своего "
                    "муниципалитета)."
                )
                % {"title": title}
            )
        snils = parse_snils(cells["snils"]) if clean_text(cells.get("snils")) else None
        if snils is None and not (
            clean_text(cells.get("organization")) or clean_text(cells.get("organization_inn"))
        ):
            raise CellError(_("Укажите СНИЛС участника или организацию-участника."))
        role = (
            parse_choice(cells.get("role"), ParticipationRole)
            if clean_text(cells.get("role"))
            else ""
        )
        return {"event": event, "snils": snils, "role": role}

    def export_rows(self, ctx: ImportContext) -> ExportData:
        participations = (
            EventParticipation.objects.for_scope(ctx.scope, Action.CHANGE)
            .select_related("event", "teacher", "organization")
            .order_by("event__start_date", "event__title", "pk")
        )
        data = ExportData()
        for number, participation in enumerate(participations, start=1):
            teacher = participation.teacher
            organization = participation.organization
            if teacher is not None:
                data.teacher_ids.add(teacher.pk)
            data.rows.append(
                [
                    number,
                    participation.event.title,
                    participation.event.start_date,
                    teacher.snils_formatted if teacher else "",
                    teacher.full_name if teacher else "",
                    organization.name if organization else "",
                    organization.inn if organization else "",
                    participation.get_role_display(),
                ]
            )
        return data
