"""Reads of events and participations, always through the user's scope."""

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from profdev.events.models import Event, EventParticipation
from profdev.orgs.scoping import Action
from profdev.people import selectors as people_selectors
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


def teacher_search(*, user: Any, query: str, exclude_event: Event) -> QuerySet[Teacher]:
    """Teachers in the user's scope whose name or SNILS matches, not yet in the event."""
    teachers = people_selectors.teacher_search(user=user, query=query)
    return teachers.exclude(event_participations__event=exclude_event)
