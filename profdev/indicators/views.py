"""Dashboard, drill-down lists, XLSX exports and target editing; all figures from `compute`."""

import functools
import hashlib
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from profdev.common import page_cache
from profdev.common.views import ScopedCreateView, ScopedListView, ScopedUpdateView
from profdev.common.xlsx import xlsx_response
from profdev.indicators import compute, services
from profdev.indicators.choices import IndicatorCode, Status, Unit
from profdev.indicators.filtersets import TargetFilterSet
from profdev.indicators.forms import SelectorForm, TargetForm
from profdev.indicators.models import Target
from profdev.indicators.tables import TargetTable
from profdev.orgs.scoping import Action
from profdev.people import selectors as people_selectors

STATUS_CLASSES = {
    Status.MET: "table-success",
    Status.NOT_MET: "table-danger",
    Status.AT_RISK: "table-warning",
    Status.NO_TARGET: "",
    Status.NO_DATA: "table-secondary",
}
DRILL_LIMIT = 500


def format_value(figure: compute.Figure) -> str:
    if figure.value is None:
        return "—"
    if figure.unit == Unit.COUNT:
        return str(figure.value)
    return f"{figure.percent:.1f} %".replace(".", ",")


def format_target(figure: compute.Figure) -> str:
    if figure.target is None:
        return "—"
    if figure.target_unit == Unit.COUNT:
        return str(int(figure.target))
    return f"{figure.target:.0f} %"


class IndicatorParamsMixin(LoginRequiredMixin):
    """Reads year, municipality and as_of from the query string through the compute module."""

    request: HttpRequest

    def read_params(self) -> tuple[compute.Params | None, SelectorForm]:
        data = self.request.GET.copy()
        data.setdefault("year", str(timezone.localdate().year))
        form = SelectorForm(data, user=self.request.user)
        try:
            params = compute.resolve_params(
                user=self.request.user,
                year=data.get("year"),
                municipality=data.get("municipality"),
                as_of=data.get("as_of"),
            )
        except ValidationError as error:
            form.is_valid()
            for name, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
            return None, form
        return params, form

    def bad_request(self, form: SelectorForm) -> HttpResponse:
        return render(
            self.request,
            "indicators/dashboard.html",
            {"form": form, "title": _("Показатели ЦНППМ")},
            status=400,
        )


def _drill_down_urls() -> dict[str, str]:
    """The drill-down path of each indicator, reversed once per request, not once per cell."""
    return {code: reverse("indicators:drill-down", args=[code]) for code in IndicatorCode.values}


def _figure_view(
    figure: compute.Figure, query: str, urls: dict[str, str] | None = None
) -> dict[str, Any]:
    urls = urls or _drill_down_urls()
    return {
        "figure": figure,
        "value": format_value(figure),
        "target": format_target(figure),
        "status_label": Status(figure.status).label,
        "css": STATUS_CLASSES[Status(figure.status)],
        "counted_url": f"{urls[figure.code]}?{query}",
    }


class DashboardView(IndicatorParamsMixin, View):
    """Seven tiles, the municipality × indicator table and a chart per indicator."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        """Rendered once per process for the user and the region's stamps (`common.page_cache`):
        they key the figures too, so a stored page is as live as the figures."""
        scope = _scope(request)
        stamps = people_selectors.place_stamps(scope)
        state = people_selectors.scope_page_state(scope, stamps)
        return page_cache.serve(request, state, lambda: self.page(request, stamps))

    def page(self, request: HttpRequest, stamps: tuple[Any, ...] | None = None) -> HttpResponse:
        """`stamps`: the scope's region and its stamps (`place_stamps`), already read."""
        params, form = self.read_params()
        if params is None:
            return self.bad_request(form)
        query = _query(params)
        read = None
        if stamps is not None and stamps[0] == params.region.pk:
            read = {stamps[0]: stamps[1]}
        figures, series, rows = compute.dashboard(params, stamps=read)
        context = {
            "title": _("Показатели ЦНППМ"),
            "form": form,
            "params": params,
            "figures_html": _figures_html(params, query, figures, series, rows),
            "query": query,
            "can_edit_targets": Target.scope_filter(_scope(request), Action.CHANGE) is not None,
        }
        return render(request, "indicators/dashboard.html", context)


FIGURES_TEMPLATE = "indicators/_figures.html"
# A rendered fragment is about 80 KB in Redis and, once a write changes the figures, is never
# read again: an hour bounds what such entries hold (with a day, one write and one view per
# second would keep ~8 GB), while fragments still in use are simply rendered again hourly.
FIGURES_SECONDS = 3600


@functools.cache
def _figures_template_version() -> str:
    """A digest of the fragment's template, so a deployed change of it is never served stale."""
    source = get_template(FIGURES_TEMPLATE).template.source  # type: ignore[attr-defined]
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def _figures_html(
    params: compute.Params,
    query: str,
    figures: list[compute.Figure],
    series: dict[str, list[tuple[int, Any]]],
    rows: list[compute.BreakdownRow],
) -> str:
    """The tiles, table and charts of these figures, rendered once and then read from the cache.

    The key is a digest of everything the fragment shows (the figures, trend and breakdown as
    computed for this request, municipality names, the query, the language and the template),
    so equal inputs give the same HTML and any change of a figure is a new key: the fragment
    is exactly as fresh as the figures, which `compute` keeps live.
    """
    digest = hashlib.sha256(
        repr(
            (
                get_language(),
                _figures_template_version(),
                query,
                figures,
                series,
                [(row.municipality.pk, row.municipality.name, row.figures) for row in rows],
            )
        ).encode()
    ).hexdigest()
    key = f"indicators:figures-html:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(FIGURES_TEMPLATE, _figures_context(params, figures, series, rows))
        cache.set(key, html, FIGURES_SECONDS)
    return mark_safe(html)  # rendered by the template engine, escaped there


def _figures_context(
    params: compute.Params,
    figures: list[compute.Figure],
    series: dict[str, list[tuple[int, Any]]],
    rows: list[compute.BreakdownRow],
) -> dict[str, Any]:
    query = _query(params)
    urls = _drill_down_urls()
    tiles = []
    for figure in figures:
        item = _figure_view(figure, query, urls)
        item["trend"] = series[figure.code]
        item["forecast"] = _format_forecast(figure)
        tiles.append(item)
    table = [
        {
            "municipality": row.municipality,
            "cells": [
                _figure_view(f, _query(params, row.municipality.pk), urls) for f in row.figures
            ],
        }
        for row in rows
    ]
    charts = [
        {
            "code": figure.code,
            "title": figure.title,
            "labels": [row.municipality.name for row in rows],
            "values": [_chart_value(row.figures[index]) for row in rows],
            "target": _chart_target(figure),
            "unit": figure.unit,
        }
        for index, figure in enumerate(figures)
    ]
    return {"tiles": tiles, "table": table, "codes": IndicatorCode.values, "charts": charts}


def _scope(request: HttpRequest) -> Any:
    from profdev.orgs.scoping import scope_of

    return scope_of(request.user)


def _query(params: compute.Params, municipality_id: int | None = None) -> str:
    parts = [f"year={params.year}", f"as_of={params.as_of.isoformat()}"]
    chosen = municipality_id or (params.municipality.pk if params.municipality else None)
    if chosen:
        parts.append(f"municipality={chosen}")
    return "&".join(parts)


def _chart_value(figure: compute.Figure) -> float | None:
    if figure.value is None:
        return None
    return float(figure.value) if figure.unit == Unit.COUNT else figure.percent


def _chart_target(figure: compute.Figure) -> float | None:
    return None if figure.target is None else float(figure.target)


def _format_forecast(figure: compute.Figure) -> str:
    if figure.forecast is None:
        return ""
    if figure.target_unit == Unit.COUNT:
        return f"{figure.forecast:.1f}".replace(".", ",")
    return f"{figure.forecast * 100:.1f} %".replace(".", ",")


DRILL_COLUMNS: dict[str, list[Any]] = {
    "teacher": [gettext_lazy("ФИО"), gettext_lazy("СНИЛС")],
    "staff": [gettext_lazy("ФИО"), gettext_lazy("Должность"), gettext_lazy("Дата приёма")],
    "event": [gettext_lazy("Название"), gettext_lazy("Дата начала"), gettext_lazy("Формат")],
    "organization": [
        gettext_lazy("Организация"),
        gettext_lazy("Муниципалитет"),
        gettext_lazy("ШНОР"),
    ],
}


def _drill_row(kind: str, obj: Any) -> list[Any]:
    if kind == "teacher":
        return [obj.full_name, obj.snils_masked]
    if kind == "staff":
        return [obj.full_name, obj.get_position_display(), obj.start_date]
    if kind == "event":
        return [obj.title, obj.start_date, obj.get_format_display()]
    return [str(obj), obj.municipality.name, obj.low_results]


def _scoped(request: HttpRequest, queryset: Any) -> QuerySet[Any]:
    """Intersect a drill-down list with what the user may see (the one scoping call)."""
    if not isinstance(queryset, QuerySet):
        return queryset
    model: Any = queryset.model
    visible = model.objects.for_user(request.user, Action.VIEW)
    return visible.filter(pk__in=queryset.values("pk"))


class DrillDownView(IndicatorParamsMixin, View):
    """What a figure counts (`list=counted`) or what its denominator misses (`list=missing`)."""

    def get(self, request: HttpRequest, code: str) -> HttpResponseBase:
        if code not in IndicatorCode.values:
            return render(
                request,
                "indicators/dashboard.html",
                {"title": _("Неизвестный показатель")},
                status=404,
            )
        params, form = self.read_params()
        if params is None:
            return self.bad_request(form)
        which = "missing" if request.GET.get("list") == "missing" else "counted"
        drill = compute.drill_down(params, code)
        queryset = _scoped(request, getattr(drill, which))
        if drill.kind == "organization":
            queryset = queryset.select_related("municipality")
        header = [str(c) for c in DRILL_COLUMNS[drill.kind]]
        label = IndicatorCode(code).label
        if request.GET.get("export") == "xlsx":
            rows = (_drill_row(drill.kind, obj) for obj in queryset.iterator())
            filename = f"indicator-{code}-{which}-{params.year}.xlsx"
            return xlsx_response(filename, header, rows)
        total = queryset.count()
        context = {
            "title": label,
            "params": params,
            "code": code,
            "definition": compute.DEFINITIONS[code],
            "which": which,
            "header": header,
            "rows": [_drill_row(drill.kind, obj) for obj in queryset[:DRILL_LIMIT]],
            "total": total,
            "truncated": total > DRILL_LIMIT,
            "query": _query(params),
            "has_missing": drill.kind != "event",
        }
        return render(request, "indicators/drill_down.html", context)


class ExportView(IndicatorParamsMixin, View):
    """The indicator table for the report to the ministry: the scope, then each municipality."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        params, form = self.read_params()
        if params is None:
            return self.bad_request(form)
        header = [
            _("Территория"),
            _("Показатель"),
            _("Цель"),
            _("Значение"),
            _("Статус"),
            _("Числитель"),
            _("Знаменатель"),
        ]
        rows: list[list[Any]] = []
        blocks = [(params.scope_label, compute.compute(params))]
        blocks += [(row.municipality.name, row.figures) for row in compute.breakdown(params)]
        for scope_label, figures in blocks:
            for figure in figures:
                rows.append(
                    [
                        scope_label,
                        figure.title,
                        format_target(figure),
                        format_value(figure),
                        str(Status(figure.status).label),
                        figure.numerator,
                        figure.denominator,
                    ]
                )
        return xlsx_response(
            f"indicators-{params.year}-{params.as_of.isoformat()}.xlsx",
            header,
            rows,
            _("Показатели"),
        )


class TargetListView(ScopedListView):
    model = Target
    table_class = TargetTable
    filterset_class = TargetFilterSet
    export_filename = "targets"
    create_url_name = "indicators:target-create"


class TargetFormMixin:
    """The service call shared by creating and editing a target."""

    def perform_save(self, form: TargetForm) -> Target:
        data = form.cleaned_data
        return services.target_save(
            user=self.request.user,  # type: ignore[attr-defined]
            target=form.instance if form.instance.pk else None,
            indicator=data["indicator"],
            year=data["year"],
            value=data["value"],
            unit=data["unit"],
            note=data.get("note", ""),
        )


class TargetCreateView(TargetFormMixin, ScopedCreateView):
    model = Target
    form_class = TargetForm
    success_url = reverse_lazy("indicators:target-list")
    title = gettext_lazy("Новое целевое значение")


class TargetUpdateView(TargetFormMixin, ScopedUpdateView):
    model = Target
    form_class = TargetForm
    success_url = reverse_lazy("indicators:target-list")
    title = gettext_lazy("Целевое значение")
