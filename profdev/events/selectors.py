"""Reads of events and participations, always through the user's scope."""

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from profdev.common.identifiers import normalize_snils
from profdev.events.models import Event, EventParticipation
from profdev.orgs.scoping import Action
from profdev.people.models import Teacher


def visible_participant_count(*, user: Any) -> Coalesce:
    """Participants of an event listed by name, counting only those the user may see."""
    visible = (
        EventParticipation.objects.for_user(user, Action.VIEW)
        .filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(visible, output_field=IntegerField()), 0)


def event_list(*, user: Any) -> QuerySet[Event]:
    """Events the user may see, with the number of their own participants listed by name."""
    return (
        Event.objects.for_user(user, Action.VIEW)
        .select_related("region", "municipality", "organizer_organization")
        .annotate(listed_count=visible_participant_count(user=user))
        .order_by("-start_date", "title")
    )


def event_participations(*, event: Event, user: Any) -> QuerySet[EventParticipation]:
    """Participants of an event the user may see (their own teachers and organizations)."""
    return (
        EventParticipation.objects.for_user(user, Action.VIEW)
        .filter(event=event)
        .select_related("teacher", "organization", "organization__municipality")
        .order_by("organization__name", "teacher__last_name", "teacher__first_name")
    )


def teacher_events(*, teacher: Teacher, user: Any) -> QuerySet[EventParticipation]:
    """Events a teacher took part in, newest first."""
    return (
        EventParticipation.objects.for_user(user, Action.VIEW)
        .filter(teacher=teacher)
        .select_related("event")
        .order_by("-event__start_date")
    )


def teacher_search(
    *, user: Any, query: str, exclude_event: Event | None = None
) -> QuerySet[Teacher]:
    """Teachers in the user's scope whose name or SNILS matches; empty for an empty query."""
    teachers = Teacher.objects.for_user(user, Action.VIEW)
    if not query:
        return teachers.none()
    digits = normalize_snils(query)
    if digits.isdigit() and len(digits) == 11:
        teachers = teachers.filter(snils=digits)
    else:
        for word in query.split()[:3]:
            teachers = teachers.filter(
                Q(last_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(middle_name__icontains=word)
            )
    if exclude_event is not None:
        teachers = teachers.exclude(event_participations__event=exclude_event)
    return teachers.order_by("last_name", "first_name", "middle_name")
