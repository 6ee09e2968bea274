"""The learning block of the teacher's page: deficits, routes and courses on one screen."""

from typing import Any

from profdev.learning import selectors
from profdev.learning.models import Diagnostic, Enrollment, Route
from profdev.orgs.scoping import Action, scope_of
from profdev.people.models import Teacher


def teacher_section(*, teacher: Teacher, user: Any) -> dict[str, Any] | None:
    """Shown to everyone who may see at least one of the teacher's learning records."""
    scope = scope_of(user)
    if all(m.scope_filter(scope, Action.VIEW) is None for m in (Diagnostic, Route, Enrollment)):
        return None
    return {
        "template": "learning/_teacher_section.html",
        "context": {
            "teacher": teacher,
            "diagnostic": selectors.latest_diagnostic(teacher=teacher, user=user),
            "deficits": selectors.teacher_deficits(teacher=teacher, user=user),
            "routes": selectors.teacher_routes(teacher=teacher, user=user),
            "enrollments": selectors.teacher_enrollments(teacher=teacher, user=user),
            "can_write": Route.scope_filter(scope, Action.CHANGE) is not None,
        },
    }
