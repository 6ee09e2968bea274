"""User management by the regional operator: accounts of the region, their roles and bindings.

Only a regional operator reaches these pages (403 for everyone else); accounts outside the
operator's region, superusers and staff are a 404 (`User.objects.for_user`). Every write goes
through `accounts.services`, which checks all of it again.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from profdev.accounts import services
from profdev.accounts.choices import Role
from profdev.accounts.filtersets import UserFilterSet
from profdev.accounts.forms import UserCreateForm, UserForm, UserPasswordForm
from profdev.accounts.models import User
from profdev.accounts.tables import UserTable
from profdev.common.views import ScopedListView, add_service_errors
from profdev.orgs.scoping import scope_of


def require_user_manager(user: Any) -> None:
    """403 for everyone but a regional operator bound to a region."""
    if scope_of(user).role != Role.OPERATOR or user.is_superuser or not user.region_id:
        raise PermissionDenied(_("Пользователями управляет региональный оператор своего региона."))


def managed_user(request: HttpRequest, pk: int) -> Any:
    require_user_manager(request.user)
    return get_object_or_404(User.objects.for_user(request.user), pk=pk)


class OperatorOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            require_user_manager(request.user)
        return super().dispatch(request, *args, **kwargs)


class UserListView(OperatorOnlyMixin, ScopedListView):
    model = User
    table_class = UserTable
    filterset_class = UserFilterSet
    title = gettext_lazy("Пользователи")
    export_filename = "users"
    create_url_name = "accounts:user-create"

    def get_queryset(self) -> QuerySet[Any]:
        return (
            User.objects.for_user(self.request.user)
            .select_related("region", "municipality", "organization", "teacher")
            .order_by("last_name", "first_name", "username")
        )

    def user_can_change(self, obj: Any = None) -> bool:
        return True  # the dispatch let only the operator in


class UserDetailView(OperatorOnlyMixin, DetailView):
    model = User
    template_name = "accounts/user_detail.html"
    context_object_name = "account"

    def get_queryset(self) -> QuerySet[Any]:
        return User.objects.for_user(self.request.user).select_related(
            "region", "municipality", "organization", "teacher"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = str(self.object.get_full_name() or self.object.username)
        context["is_self"] = self.object.pk == self.request.user.pk
        context["history"] = self.object.history.select_related("history_user").order_by(
            "-history_date"
        )[:20]
        context["password_form"] = kwargs.get("password_form") or UserPasswordForm()
        return context


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    """A new account of the operator's region with a temporary password."""
    require_user_manager(request.user)
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.user_create(
                actor=request.user,
                username=data["username"],
                last_name=data["last_name"],
                first_name=data["first_name"],
                email=data["email"],
                role=data["role"],
                node=data["node"],
                password=data["password1"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Учётная запись создана. Передайте пользователю временный пароль.")
            )
            return redirect("accounts:user-detail", pk=account.pk)
    return render(request, "common/form.html", {"form": form, "title": _("Новый пользователь")})


@login_required
def user_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an account's names, role and binding."""
    account = managed_user(request, pk)
    form = UserForm(request.POST or None, actor=request.user, instance=account)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=request.user,
                user=account,
                last_name=data["last_name"],
                first_name=data["first_name"],
                email=data["email"],
                role=data["role"],
                node=data["node"],
            )
        except (ValidationError, PermissionDenied) as error:
            account.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, _("Изменения сохранены."))
            return redirect("accounts:user-detail", pk=account.pk)
    return render(
        request,
        "common/form.html",
        {"form": form, "object": account, "title": _("Изменение пользователя")},
    )


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate or reactivate an account (`active` = "1" or "0")."""
    account = managed_user(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=account, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Учётная запись включена.") if active else _("Учётная запись отключена.")
        )
    return redirect("accounts:user-detail", pk=account.pk)


@login_required
@require_POST
def user_set_password(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the account a temporary password; its sessions end."""
    account = managed_user(request, pk)
    form = UserPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=account, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            messages.success(request, _("Временный пароль задан, сеансы пользователя завершены."))
            return redirect("accounts:user-detail", pk=account.pk)
    view = UserDetailView()
    view.setup(request, pk=pk)
    view.object = account
    context = view.get_context_data(object=account, password_form=form)
    return render(request, view.template_name, context, status=200)
