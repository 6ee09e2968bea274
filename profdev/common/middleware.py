"""The Content-Security-Policy header (Django 5.2 has no built-in CSP); no SNILS in addresses."""

from collections.abc import Callable

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.utils.translation import gettext as _

from profdev.common import snils_queries


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every page except Swagger UI, ReDoc and the admin."""

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


class SnilsInUrlMiddleware:
    """A SNILS typed into an address never reaches a view or a link built from the query.

    API: 400 with a Russian message (use `POST /api/v1/teachers/lookup/`). Pages: a GET is
    redirected to the same address with the SNILS swapped for a session token (the form posts
    in the first place, so only a hand-typed or old bookmarked address gets here); any other
    method is refused. Runs after the session middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.GET and snils_queries.has_snils(request.GET):
            message = _(
                "СНИЛС нельзя передавать в адресе запроса: персональные данные не должны попадать "
                "в адреса и журналы серверов."
            )
            if request.path.startswith("/api/"):
                hint = _("Для поиска по СНИЛС используйте POST /api/v1/teachers/lookup/.")
                return JsonResponse({"detail": f"{message} {hint}"}, status=400)
            if request.method not in {"GET", "HEAD"}:
                return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
            query = snils_queries.protect(request, request.GET)
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return self.get_response(request)
