"""Login, logout, the home page of each role, the language switch and the health check."""

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from profdev.accounts.forms import LanguageForm, LoginForm
from profdev.accounts.selectors import home_summary
from profdev.orgs.scoping import scope_of


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        remember_language(response, getattr(form.get_user(), "language", settings.LANGUAGE_CODE))
        return response


def remember_language(response: HttpResponse, language: str) -> None:
    """Keep the language in a cookie too, so the login page after logout stays in it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page, shaped by the user's role."""
    user: Any = request.user
    scope = scope_of(user)
    context = {
        "title": _("Главная"),
        "summary": home_summary(user=user),
        "scope": scope,
        "role": user.role if not user.is_superuser else "operator",
        "bound_to": user.organization or user.municipality or user.region,
    }
    return render(request, "accounts/home.html", context)


@login_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Store the user's interface language (Russian or English)."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    response = redirect(next_url or "home")
    if form.is_valid():
        user: Any = request.user
        user.language = form.cleaned_data["language"]
        user.save(update_fields=["language"])
        remember_language(response, user.language)
    return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
