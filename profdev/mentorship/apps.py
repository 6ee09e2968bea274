from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "profdev.mentorship"
    verbose_name = _("Наставничество")

    def ready(self) -> None:
        from profdev.people.views import TEACHER_SECTIONS

        TEACHER_SECTIONS.append(teacher_section)


def teacher_section(*, teacher: Any, user: Any) -> dict[str, Any] | None:
    """The teacher's pairs, as mentor and as mentee, for the teacher page."""
    from profdev.mentorship.models import MentorPair
    from profdev.orgs.scoping import Action, scope_of

    pairs = MentorPair.objects.for_user(user, Action.VIEW).select_related("form", "mentor")
    as_mentor = list(pairs.filter(mentor=teacher))
    as_mentee = list(pairs.filter(mentees=teacher))
    can_match = (
        teacher.is_young_specialist
        and MentorPair.scope_filter(scope_of(user), Action.CHANGE) is not None
    )
    if not (as_mentor or as_mentee or can_match):
        return None
    return {
        "template": "mentorship/_teacher_section.html",
        "context": {
            "teacher": teacher,
            "as_mentor": as_mentor,
            "as_mentee": as_mentee,
            "can_match": can_match,
        },
    }
