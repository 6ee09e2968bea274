"""Per-request account rules: the user's interface language and the session's lifetime."""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def language_for(request: HttpRequest) -> str:
    """The user's stored language; before login the one last chosen in this browser; else Russian.

    The browser's Accept-Language is deliberately ignored: Russian is the default for everyone
    and English is a per-user choice.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        language = getattr(user, "language", "")
        if language in SUPPORTED:
            return language
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return language if language in SUPPORTED else settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """Replaces Django's LocaleMiddleware; must run after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request)
        request.LANGUAGE_CODE = language
        # override() restores the previous language afterwards, so nothing leaks between requests
        # served by the same thread (or into code a test runs after a request).
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


LOGIN_AT_KEY = "_profdev_login_at"
# When the session was last written: the idle expiry is moved forward at most once a minute.
SEEN_AT_KEY = "_profdev_seen_at"


def stamp_login_time(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """`user_logged_in` receiver: the start of the session, for the absolute limit."""
    if hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT_KEY] = now
        request.session[SEEN_AT_KEY] = now


class SessionLifetimeMiddleware:
    """Ends sessions that have lived too long and says why a session ended.

    Inactivity is Django's own expiry: `SESSION_COOKIE_AGE` is the idle limit, counted from
    the session's last save, so an idle session is no longer found in the store. Saving it on
    every request (`SESSION_SAVE_EVERY_REQUEST`) would cost a write per page; instead this
    middleware marks the session modified when it was last saved `SESSION_TOUCH_SECONDS` (60)
    or more ago, so the expiry moves forward at most once a minute and the idle limit holds to
    within that minute. It also adds the absolute limit
    (`SESSION_MAX_AGE`, counted from the login) and a Russian message on the login page for
    both cases. Must run after the session, authentication and message middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGIN_AT_KEY)
            now = int(time.time())
            seen = request.session.get(SEEN_AT_KEY)
            if seen is None or now - int(seen) >= settings.SESSION_TOUCH_SECONDS:
                request.session[SEEN_AT_KEY] = now  # saved at the response: a new expiry
            if started is None:
                request.session[LOGIN_AT_KEY] = now  # a session from before this rule
            elif now - int(started) > settings.SESSION_MAX_AGE:
                logout(request)
                messages.info(
                    request,
                    _("Сеанс завершён: с момента входа прошло слишком много времени.")
                    + " "
                    + _("Войдите снова."),
                )
        elif (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and not request.session.keys()
            and not request.path.startswith("/api/")
            and request.method == "GET"
            and not getattr(request, "htmx", False)
        ):
            # The browser still holds a session that the store no longer has: it expired
            # (idle) or was ended. The stale cookie is deleted by SessionMiddleware.
            messages.info(
                request,
                _("Сеанс завершён после долгого бездействия.") + " " + _("Войдите снова."),
            )
        return self.get_response(request)
