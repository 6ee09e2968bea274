"""Helpers of the exhaustive isolation test: the URLconf and the OpenAPI schema, walked.

Every URL pattern is classified here. A pattern the test cannot classify (a new page whose
object kwarg names no known model, a new API route missing from the schema) fails the test,
so a new endpoint cannot slip in without the isolation check.
"""

import functools
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.http import HttpResponseBase
from django.urls import URLPattern, URLResolver, get_resolver

# Pages that show no record of a scoped model, or are public, with the reason.
NON_OBJECT_URLS: dict[str, str] = {
    "healthz": "health check: database status only",
    "accounts:login": "public login form",
    "accounts:logout": "ends the session",
    "accounts:set-language": "stores the user's own interface language",
    "api:api-token": "public token exchange (username and password)",
    "api:schema": "the OpenAPI schema: describes endpoints, holds no records",
    "api:docs": "Swagger UI page: loads the schema",
    "api:redoc": "ReDoc page: loads the schema",
    "api:api-root": "the router's list of endpoint addresses",
}

# Object kwargs of page URLs and the model each one names.
KWARG_MODELS: dict[str, str] = {
    "teacher_pk": "people.Teacher",
    "route_pk": "learning.Route",
    "cohort_pk": "learning.Cohort",
    "program_pk": "learning.Program",
    "org_pk": "orgs.Organization",
    "item_pk": "roadmap.ReportItem",
}

# Function views whose `pk` names a record: the model it names.
FUNCTION_VIEW_MODELS: dict[str, str] = {
    "learning:route-transition": "learning.Route",
    "learning:route-propose": "learning.Route",
    "learning:enrollment-complete": "learning.Enrollment",
    "events:participation-add": "events.Event",
    "events:teacher-options": "events.Event",
    "events:participation-remove": "events.EventParticipation",
    "roadmap:campaign-remind": "roadmap.Campaign",
    "roadmap:campaign-close": "roadmap.Campaign",
    "roadmap:report-action": "roadmap.Report",
    "roadmap:item-save": "roadmap.ReportItem",
    "imports:job-detail": "imports.ImportJob",
    "imports:job-commit": "imports.ImportJob",
    "imports:job-rejected": "imports.ImportJob",
    "reports:campaign": "roadmap.Campaign",
    "reports:generate": "roadmap.Campaign",
    "reports:status": "reports.GeneratedReport",
    "reports:download": "reports.GeneratedReport",
    "accounts:user-update": "accounts.User",
    "accounts:user-set-active": "accounts.User",
    "accounts:user-password": "accounts.User",
    "common:file-download": "",  # the model comes from the URL itself (see the test)
}

# Reference data shared by the whole country: no record is out of anyone's scope.
GLOBAL_MODELS = {
    "learning.CompetenceArea": "the federal list of competence areas",
    "indicators.Target": "targets of the seven indicators, the same for every user",
}


def value_kwargs() -> dict[str, list[str]]:
    """Kwargs that name no record: every value the URL accepts."""
    from profdev.imports.kinds import kind_choices
    from profdev.indicators.choices import IndicatorCode

    return {
        "action": ["submit", "accept", "return", "reopen"],
        "code": list(IndicatorCode.values),
        "kind": [key for key, _label in kind_choices()],
        "fmt": ["docx", "xlsx", "pdf"],
    }


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str
    callback: Any
    kwargs: tuple[str, ...]

    @property
    def view_class(self) -> Any:
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def is_api_router(self) -> bool:
        cls = getattr(self.callback, "cls", None)
        return self.name.startswith("api:") and cls is not None and hasattr(cls, "get_queryset")


def _kwargs_of(pattern: Any) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def walk_urls() -> Iterator[Route]:
    """Every URL pattern of the project (the admin's excepted), with its full name."""

    def walk(patterns: list[Any], prefix: str, namespace: str, kwargs: tuple[str, ...]) -> Any:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(
                    entry.url_patterns,
                    prefix + str(entry.pattern),
                    ns,
                    kwargs + _kwargs_of(entry.pattern),
                )
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
                yield Route(
                    pattern=prefix + str(entry.pattern),
                    name=name,
                    callback=entry.callback,
                    kwargs=kwargs + _kwargs_of(entry.pattern),
                )

    yield from walk(get_resolver().url_patterns, "", "", ())


def model_of_route(route: Route) -> type[Model] | None:
    """The model whose pk the route's `pk` kwarg names, from the view class or the table above."""
    if route.name in FUNCTION_VIEW_MODELS:
        label = FUNCTION_VIEW_MODELS[route.name]
        return apps.get_model(label) if label else None
    cls = route.view_class
    if cls is None:
        return None
    model = getattr(cls, "model", None)
    if model is None and getattr(cls, "queryset", None) is not None:
        model = cls.queryset.model
    return model


def model_of_viewset(cls: Any) -> type[Model] | None:
    """The model of an API viewset: its queryset, or its serializer's Meta.model."""
    queryset = getattr(cls, "queryset", None)
    if queryset is not None:
        return queryset.model  # type: ignore[no-any-return]
    serializer = getattr(cls, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def response_text(response: HttpResponseBase) -> str:
    """The text a user receives: HTML or JSON, or the text inside an XLSX/DOCX (zip) file."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        body = response.content  # type: ignore[attr-defined]
    if body.startswith(b"PK\x03\x04"):
        parts = []
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for info in archive.infolist():
                parts.append(archive.read(info).decode("utf-8", "replace"))
        return "\n".join(parts)
    return body.decode("utf-8", "replace")


@functools.cache
def schema_operations() -> list[tuple[str, str]]:
    """(path, method) of every operation in the OpenAPI schema drf-spectacular generates."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method.upper())
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


PATH_PARAM = re.compile(r"\{(\w+)\}")


# Function views that write through a form: the form class, for the request-body checks.
FUNCTION_VIEW_FORMS: dict[str, str] = {
    "accounts:user-create": "profdev.accounts.forms.UserCreateForm",
    "accounts:user-update": "profdev.accounts.forms.UserForm",
    "events:participation-add": "profdev.events.forms.ParticipationForm",
    "roadmap:campaign-open": "profdev.roadmap.forms.CampaignOpenForm",
}

# Form fields that choose a record but whose queryset is set per user at run time.
FORM_FIELD_MODELS: dict[str, str] = {
    "municipality": "orgs.Municipality",
    "organization": "orgs.Organization",
    "teacher": "people.Teacher",
}


def form_class_of(route: Route) -> Any:
    """The form a page posts, or None for pages without one."""
    import importlib

    if route.name in FUNCTION_VIEW_FORMS:
        module, _sep, name = FUNCTION_VIEW_FORMS[route.name].rpartition(".")
        return getattr(importlib.import_module(module), name)
    cls = route.view_class
    return getattr(cls, "form_class", None) if cls is not None else None


def choice_fields(form_class: Any) -> Iterator[tuple[str, type[Model], bool]]:
    """(name, model, many) of every field of a form that chooses records."""
    from django import forms

    meta_model = getattr(getattr(form_class, "_meta", None), "model", None)
    for name, field in form_class.base_fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        many = isinstance(field, forms.ModelMultipleChoiceField)
        queryset = getattr(field, "queryset", None)
        model: Any = queryset.model if queryset is not None else None
        if model is None and meta_model is not None:
            try:
                model = meta_model._meta.get_field(name).related_model
            except Exception:
                model = None
        if model is None and name in FORM_FIELD_MODELS:
            model = apps.get_model(FORM_FIELD_MODELS[name])
        if model is not None:
            yield name, model, many


def serializer_choice_fields(serializer: Any) -> Iterator[tuple[str, type[Model], bool]]:
    """(name, model, many) of every writable field of a serializer that chooses records."""
    from rest_framework import serializers

    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        many = isinstance(field, serializers.ManyRelatedField)
        relation = field.child_relation if many else field
        if not isinstance(relation, serializers.RelatedField):
            continue
        queryset = getattr(relation, "queryset", None)
        if queryset is not None:
            yield name, queryset.model, many


def references_to(obj: Model) -> int:
    """How many records point at `obj` (foreign keys, one-to-one and many-to-many)."""
    total = 0
    for relation in obj._meta.related_objects:
        model: Any = relation.related_model
        total += model._base_manager.filter(**{relation.field.name: obj.pk}).count()
    return total


def form_data(form_class: Any, instance: Model | None) -> dict[str, Any]:
    """Form data copied from a visible record of the form's model (an otherwise sane body)."""
    from django.forms.models import model_to_dict

    if instance is None:
        return {}
    names = [n for n in form_class.base_fields if hasattr(instance, n) or n.endswith("_id")]
    data: dict[str, Any] = {}
    for name, value in model_to_dict(instance).items():
        if name not in names or value is None or hasattr(value, "path"):
            continue
        if isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
        data[name] = value
    return data
