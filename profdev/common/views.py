"""Base views: every page reads its model through `for_user`, so scope is never forgotten."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView
from django_filters.views import FilterView
from django_stubs_ext import StrOrPromise
from django_tables2 import SingleTableMixin

from profdev.common import snils_queries
from profdev.common.breadcrumbs import tree_breadcrumbs
from profdev.common.xlsx import xlsx_response
from profdev.orgs.scoping import Action, scope_of


class ScopedQuerysetMixin:
    """`get_queryset` for a scoped model, seen by the current user for `scope_action`."""

    model: type[Model]
    request: HttpRequest
    scope_action: Action = Action.VIEW
    select_related: tuple[str, ...] = ()

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.model.objects.for_user(self.request.user, self.scope_action)  # type: ignore[attr-defined]
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset

    def user_can_change(self, obj: Model | None = None) -> bool:
        scope = scope_of(self.request.user)
        queryset = self.model.objects.for_scope(scope, Action.CHANGE)  # type: ignore[attr-defined]
        if obj is None:
            return self.model.scope_filter(scope, Action.CHANGE) is not None  # type: ignore[attr-defined]
        return bool(queryset.filter(pk=obj.pk).exists())


class ScopedListView(LoginRequiredMixin, ScopedQuerysetMixin, SingleTableMixin, FilterView):
    """A list with search, filters, sorting, pagination and XLSX export of the filtered rows."""

    template_name = "common/list.html"
    table_template = "common/_table.html"
    # The table paginates (one count); ListView's own pagination would count the rows again.
    paginate_by = None
    table_pagination = {"per_page": 25}
    title: StrOrPromise = ""
    export_filename = "export"
    create_url_name: str | None = None
    empty_hint: StrOrPromise = ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.GET.get("export") == "xlsx":
            return self.export_xlsx()
        return super().get(request, *args, **kwargs)

    def is_filtered(self) -> bool:
        """Whether the query string holds a filter value (page, sort and export are not filters)."""
        return any(
            value not in ("", "unknown")
            for key, values in self.request.GET.lists()
            if key not in {"page", "sort"}
            for value in values
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """The filter form posts, so what was typed (a SNILS) never travels in a URL.

        The answer is the list's GET address, a SNILS swapped for a session token: a redirect,
        or for htmx the table itself with that address in `HX-Push-Url`. Nothing is written.
        """
        query = QueryDict(mutable=True)
        for key, values in request.POST.lists():
            if key != "csrfmiddlewaretoken":
                query.setlist(key, values)
        query = snils_queries.protect(request, query)
        url = f"{request.path}?{query.urlencode()}" if query else request.path
        if not getattr(request, "htmx", False):
            response = HttpResponseRedirect(url)
            response.status_code = 303
            return response
        # The table's pagination, sorting and export links are built from request.GET.
        request.GET = query  # type: ignore[assignment]
        response = super().get(request, *args, **kwargs)
        response["HX-Push-Url"] = url
        return response

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_filterset_kwargs(filterset_class)
        if kwargs.get("data") is not None:
            kwargs["data"] = snils_queries.resolve(self.request, kwargs["data"])
        return kwargs

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:  # type: ignore[attr-defined]
            return [self.table_template]
        return [self.template_name]

    def export_xlsx(self) -> HttpResponseBase:
        filterset = self.get_filterset(self.get_filterset_class())
        queryset = filterset.qs if filterset.is_valid() else self.get_queryset().none()
        table = self.get_table_class()(queryset, request=self.request)
        table.exclude = tuple(name for name, col in table.columns.items() if not col.visible)
        values = table.as_values(exclude_columns=getattr(self, "export_exclude", ()))
        header: list[str] = list(next(iter(values), []))
        stamp = timezone.localdate().strftime("%Y-%m-%d")
        return xlsx_response(f"{self.export_filename}-{stamp}.xlsx", header, values)

    def filter_fields_html(self) -> str | None:
        """The filter form's fields already rendered (a view may cache them); None: render."""
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title or str(self.model._meta.verbose_name_plural).capitalize()
        context["filter_fields_html"] = self.filter_fields_html()
        context["can_create"] = self.create_url_name is not None and self.user_can_change()
        context["create_url_name"] = self.create_url_name
        context["empty_hint"] = self.empty_hint
        context["filtered"] = self.is_filtered()
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "xlsx"
        context["export_query"] = query.urlencode()
        return context


class ScopedDetailView(LoginRequiredMixin, ScopedQuerysetMixin, DetailView):
    """A record page: 404 for anything outside the user's scope."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_change"] = self.user_can_change(self.object)
        context.setdefault("breadcrumbs", tree_breadcrumbs(self.object, self.request.user))
        history = getattr(self.object, "history", None)
        context["history"] = (
            history.select_related("history_user").order_by("-history_date")[:20]
            if history is not None
            else []
        )
        return context


class ScopedChangeMixin(LoginRequiredMixin, ScopedQuerysetMixin):
    """Write views: 404 outside the scope, 403 where the user may look but not change."""

    success_message: StrOrPromise = ""
    title: StrOrPromise = ""

    def perform_save(self, form: Any) -> Any:
        """Save through the app's service; the default is the form's own save."""
        return form.save()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.setdefault("title", self.title)
        return context

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        visible = self.model.objects.for_user(self.request.user, Action.VIEW)  # type: ignore[attr-defined]
        obj = get_object_or_404(visible, pk=self.kwargs["pk"])  # type: ignore[attr-defined]
        if not self.user_can_change(obj):
            raise PermissionDenied(_("У вас нет прав изменять эту запись."))
        return obj


class ScopedCreateView(ScopedChangeMixin, CreateView):
    """A create page; `parent_models` maps URL kwargs (`teacher_pk`) to the parent's model.

    A parent outside the user's scope is a 404 before the form is shown or validated.
    """

    template_name = "common/form.html"
    parent_models: dict[str, type[Model]] = {}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            for kwarg, parent_model in self.parent_models.items():
                visible = parent_model.objects.for_user(request.user, Action.VIEW)  # type: ignore[attr-defined]
                get_object_or_404(visible, pk=kwargs[kwarg])
            if not self.user_can_change():
                raise PermissionDenied(_("У вас нет прав добавлять такие записи."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        self.object = self.perform_save(form)
        messages.success(self.request, self.success_message or _("Запись создана."))
        return HttpResponseRedirect(self.get_success_url())


class ScopedUpdateView(ScopedChangeMixin, UpdateView):
    template_name = "common/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        self.object = self.perform_save(form)
        messages.success(self.request, self.success_message or _("Изменения сохранены."))
        return HttpResponseRedirect(self.get_success_url())


class ScopedDeleteView(ScopedChangeMixin, DeleteView):
    template_name = "common/confirm_delete.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Запись удалена."))
        return response


def add_service_errors(form: Any, error: ValidationError | PermissionDenied) -> None:
    """Put what a service refused on the form: on its field where there is one."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or _("У вас нет прав на это действие."))
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceFormMixin:
    """Errors raised by the service are shown on the form instead of a 500 or a bare 403."""

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        return self.form_invalid(form)  # type: ignore[attr-defined]
