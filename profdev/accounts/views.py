"""Login, logout, the home page of each role, the language switch and the health check."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
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
        self.request.session["profdev_language"] = getattr(form.get_user(), "language", "ru")
        return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page, shaped by the user's role."""
    user: Any = request.user
    scope = scope_of(user)
    context = {
        "title": "Главная",
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
    if form.is_valid():
        user: Any = request.user
        user.language = form.cleaned_data["language"]
        user.save(update_fields=["language"])
        request.session["profdev_language"] = user.language
    return redirect(request.POST.get("next") or "home")


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
