"""Activates the interface language: the user's own setting, Russian by default."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
