"""Activates the language the user chose in their profile (Russian by default)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Runs before authentication middleware: read the language stored in the session.
        language = request.session.get("profdev_language") if hasattr(request, "session") else None
        if language:
            request.COOKIES.setdefault("django_language", language)
            translation.activate(language)
        return self.get_response(request)
