from typing import Any

from django.http import HttpRequest

from profdev.common.navigation import menu_for
from profdev.orgs.scoping import scope_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu and the user's scope, for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    scope = scope_of(user)
    return {"menu": menu_for(scope.role), "user_scope": scope}
