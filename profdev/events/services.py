"""Writes to events and their participants; pages, the API and the demo all call these."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from profdev.events.choices import EventFormat, EventKind, EventLevel, ParticipationRole
from profdev.events.models import Event, EventParticipation
from profdev.orgs.models import Municipality, Organization, Region
from profdev.orgs.scoping import Action, Level, scope_of
from profdev.people.models import Teacher

EVENT_FIELDS = (
    "title",
    "kind",
    "level",
    "start_date",
    "end_date",
    "format",
    "organizer",
    "organizer_organization",
    "description",
    "region",
    "municipality",
    "participant_count",
)


def _ensure_event_writable(*, user: Any, event: Event) -> None:
    """The event as it stands (new or changed) must lie in the user's writing scope."""
    if user is None:
        return
    scope = scope_of(user)
    if Event.scope_filter(scope, Action.CHANGE) is None:
        raise PermissionDenied(_("У вас нет прав изменять мероприятия."))
    if scope.level == Level.MUNICIPALITY and (
        event.level != EventLevel.MUNICIPAL or event.municipality_id != scope.node_id
    ):
        raise PermissionDenied(
            _("Координатор МОУО ведёт только муниципальные мероприятия своего муниципалитета.")
        )
    if scope.level == Level.REGION and event.region_id != scope.node_id:
        raise PermissionDenied(_("Мероприятие другого региона вне вашей зоны ответственности."))


def _default_region(*, user: Any, municipality: Municipality | None) -> Region | None:
    if municipality is not None:
        return municipality.region
    region_id = getattr(user, "region_id", None)
    return Region.objects.filter(pk=region_id).first() if region_id else None


def _check_participant_count(value: int | None) -> None:
    if value is not None and value < 0:
        raise ValidationError(
            {"participant_count": _("Число участников не может быть отрицательным.")}
        )


@transaction.atomic
def event_create(
    *,
    user: Any,
    title: str,
    start_date: datetime.date,
    end_date: datetime.date,
    kind: str = EventKind.SEMINAR,
    level: str = EventLevel.REGIONAL,
    format: str = EventFormat.IN_PERSON,
    organizer: str = "",
    organizer_organization: Organization | None = None,
    description: str = "",
    region: Region | None = None,
    municipality: Municipality | None = None,
    participant_count: int | None = None,
    areas: Iterable[Any] = (),
) -> Event:
    """Create an event inside the user's writing scope (region derived when not given).

    `areas` are the competence areas (learning.CompetenceArea) whose deficits the event targets;
    route proposals offer the event to teachers with those deficits.
    """
    _check_participant_count(participant_count)
    region = region or _default_region(user=user, municipality=municipality)
    if region is None:
        raise ValidationError({"region": _("Укажите регион мероприятия.")})
    event = Event(
        title=title.strip(),
        kind=kind,
        level=level,
        start_date=start_date,
        end_date=end_date,
        format=format,
        organizer=organizer.strip(),
        organizer_organization=organizer_organization,
        description=description,
        region=region,
        municipality=municipality,
        participant_count=participant_count,
    )
    event.full_clean()
    _ensure_event_writable(user=user, event=event)
    event.save()
    event.areas.set(list(areas))
    return event


@transaction.atomic
def event_update(
    *, user: Any, event: Event, areas: Iterable[Any] | None = None, **fields: Any
) -> Event:
    """Change an event; both the old and the new state must be in the user's writing scope."""
    if not Event.objects.for_user(user, Action.CHANGE).filter(pk=event.pk).exists():
        raise PermissionDenied(_("У вас нет прав изменять это мероприятие."))
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown event fields: {sorted(unknown)}")
    _check_participant_count(fields.get("participant_count"))
    for name, value in fields.items():
        setattr(event, name, value)
    if event.municipality is not None and "region" not in fields:
        event.region = event.municipality.region
    event.full_clean()
    _ensure_event_writable(user=user, event=event)
    event.save()
    if areas is not None:
        event.areas.set(list(areas))
    return event


@transaction.atomic
def event_delete(*, user: Any, event: Event) -> None:
    """Delete an event with its participants."""
    if not Event.objects.for_user(user, Action.CHANGE).filter(pk=event.pk).exists():
        raise PermissionDenied(_("У вас нет прав удалять это мероприятие."))
    event.delete()


@transaction.atomic
def participation_add(
    *,
    user: Any,
    event: Event,
    teacher: Teacher | None = None,
    organization: Organization | None = None,
    role: str = ParticipationRole.PARTICIPANT,
) -> EventParticipation:
    """Add a teacher or an organization (one of them) from the user's scope to an event."""
    if not Event.objects.for_user(user, Action.CHANGE).filter(pk=event.pk).exists():
        raise PermissionDenied(_("У вас нет прав изменять участников этого мероприятия."))
    if (teacher is None) == (organization is None):
        raise ValidationError(_("Укажите либо педагога, либо организацию."))
    if teacher is not None and not (
        Teacher.objects.for_user(user, Action.VIEW).filter(pk=teacher.pk).exists()
    ):
        raise ValidationError(
            {"teacher": _("Педагог «%(name)s» вне вашей зоны ответственности.") % {"name": teacher}}
        )
    if organization is not None and not (
        Organization.objects.for_user(user, Action.VIEW).filter(pk=organization.pk).exists()
    ):
        raise ValidationError(
            {
                "organization": _("Организация «%(name)s» вне вашей зоны ответственности.")
                % {"name": organization}
            }
        )
    participation = EventParticipation(
        event=event, teacher=teacher, organization=organization, role=role
    )
    participation.full_clean()
    participation.save()
    if teacher is not None:
        # the teacher's route steps pointing at this event are done (ИОМ, learning app)
        from profdev.learning.services import complete_event_steps

        complete_event_steps(event=event, teacher_id=teacher.pk)
    return participation


@transaction.atomic
def participation_update(
    *, user: Any, participation: EventParticipation, role: str
) -> EventParticipation:
    """Change a participant's role."""
    visible = EventParticipation.objects.for_user(user, Action.CHANGE)
    if not visible.filter(pk=participation.pk).exists():
        raise PermissionDenied(_("У вас нет прав изменять это участие."))
    participation.role = role
    participation.full_clean()
    participation.save()
    return participation


@transaction.atomic
def participation_remove(*, user: Any, participation: EventParticipation) -> None:
    """Remove a participant from an event."""
    visible = EventParticipation.objects.for_user(user, Action.CHANGE)
    if not visible.filter(pk=participation.pk).exists():
        raise PermissionDenied(_("У вас нет прав удалять это участие."))
    participation.delete()
