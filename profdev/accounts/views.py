"""Login, logout, the home page of each role, the language switch and the health check."""

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from profdev.accounts import audit
from profdev.accounts.choices import Role
from profdev.accounts.forms import AuditFilterForm, LanguageForm, LoginForm
from profdev.accounts.selectors import home_summary
from profdev.common.xlsx import xlsx_response
from profdev.orgs.scoping import Action, Level, scope_of


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


AUDIT_PAGE_SIZE = 50
AUDIT_EXPORT_LIMIT = 20_000


def _require_operator(user: Any) -> None:
    scope = scope_of(user)
    if scope.role != Role.OPERATOR:
        raise PermissionDenied(_("Журнал изменений доступен только региональному оператору."))


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponseBase:
    """Search the audit trail by user, model, object, dates and action; XLSX export."""
    _require_operator(request.user)
    form = AuditFilterForm(request.GET or None, user=request.user)
    flt = audit.AuditFilter()
    if form.is_valid():
        data = form.cleaned_data
        flt = audit.AuditFilter(
            user_id=data["user"].pk if data.get("user") else None,
            model=data.get("model") or None,
            object_id=data.get("object_id"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            action=data.get("action") or None,
        )
    elif request.GET:
        flt = audit.AuditFilter(object_id=-1)  # an invalid search shows nothing, not everything
    entries = audit.audit_entries(flt, user=request.user)
    header = [
        _("Когда"),
        _("Кто"),
        _("Действие"),
        _("Вид записи"),
        _("№"),
        _("Запись"),
        _("Изменения"),
    ]
    if request.GET.get("export") == "xlsx":
        rows = list(entries[:AUDIT_EXPORT_LIMIT])
        stamp = timezone.localdate().strftime("%Y-%m-%d")
        return xlsx_response(
            f"audit-{stamp}.xlsx", header, (row.as_cells() for row in audit.describe(rows))
        )
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    export = query.copy()
    export["export"] = "xlsx"
    context = {
        "title": _("Журнал изменений"),
        "form": form,
        "page": page,
        "rows": list(audit.describe(list(page.object_list))),
        "header": header,
        "query": query.urlencode(),
        "export_query": export.urlencode(),
    }
    return render(request, "accounts/audit.html", context)


@login_required
@require_GET
def person_data_export(request: HttpRequest, teacher_pk: int) -> HttpResponse:
    """JSON of everything held about a teacher: for the operator and the teacher themself."""
    from profdev.accounts.personal_data import person_data
    from profdev.accounts.services import personal_data_export_record
    from profdev.people.models import Teacher

    user: Any = request.user
    teacher = get_object_or_404(Teacher.objects.for_user(user, Action.VIEW), pk=teacher_pk)
    scope = scope_of(user)
    if scope.role != Role.OPERATOR and user.teacher_id != teacher.pk:
        raise PermissionDenied(_("Выгрузку персональных данных готовит региональный оператор."))
    personal_data_export_record(user=user, teacher=teacher)
    body = json.dumps(person_data(teacher), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{teacher.pk}.json"'
    return response


@login_required
@require_POST
def end_sessions(request: HttpRequest) -> HttpResponse:
    """ "Log out everywhere": the user's own sessions, or (operator) another user's."""
    from profdev.accounts.models import User
    from profdev.accounts.services import user_sessions_end

    target: Any = request.user
    if request.POST.get("user"):
        _require_operator(request.user)
        users = (
            User.objects.all()
            if scope_of(request.user).level == Level.ALL
            else User.objects.for_user(request.user)
        )
        user_id = request.POST["user"]
        target = get_object_or_404(users, pk=int(user_id) if user_id.isdigit() else 0)
    user_sessions_end(user=target)
    if target.pk == request.user.pk:
        logout(request)
        return redirect("accounts:login")
    messages.success(request, _("Все сеансы пользователя %(user)s завершены.") % {"user": target})
    return redirect("accounts:user-detail", pk=target.pk)
