"""Adds the Content-Security-Policy header (Django 5.2 has no built-in CSP)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Swagger UI and the admin need inline scripts; they are behind login.
        if self.policy and not request.path.startswith(
            ("/api/v1/docs", "/api/v1/redoc", "/admin/")
        ):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
