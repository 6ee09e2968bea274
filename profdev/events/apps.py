from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def teacher_events_section(*, teacher: Any, user: Any) -> dict[str, Any] | None:
    """The teacher page's block with the events the teacher took part in."""
    from profdev.events.selectors import teacher_events

    participations = list(teacher_events(teacher=teacher, user=user)[:50])
    if not participations:
        return None
    return {
        "template": "events/_teacher_section.html",
        "context": {"participations": participations},
    }


class EventsConfig(AppConfig):
    name = "profdev.events"
    verbose_name = _("Региональные мероприятия")

    def ready(self) -> None:
        from profdev.people.views import TEACHER_SECTIONS

        if teacher_events_section not in TEACHER_SECTIONS:
            TEACHER_SECTIONS.append(teacher_events_section)
