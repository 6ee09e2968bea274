"""Scope isolation, proven for every URL pattern and every API operation and every role.

For each role a foreign world is built (a new municipality with a school in each region, with
records of every model, see `foreign.py`). Then, for every page and API operation:
- a URL naming a record outside the user's scope answers 403, 404 or 405 to GET, POST, PUT,
  PATCH and DELETE, and the database is unchanged afterwards;
- lists, exports (`?export=xlsx`), search (`?q=`), drill-downs and the pages of records the user
  may see never show the marker text of a record outside the scope;
- every page form and API write that chooses records (foreign keys and many-to-many, found from
  the forms and the schema's serializers) is sent with an out-of-scope record in each such
  field, and afterwards no record points at that out-of-scope record.
The URLs come from the URLconf and the operations from the OpenAPI schema; a pattern the test
cannot classify fails `test_every_url_is_classified`.
"""

import hashlib
import json
from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Model, Q
from django.test import Client
from django.urls import resolve

from profdev.common.tests import isolation
from profdev.common.tests.fixtures import ROLE_FIXTURES, World
from profdev.common.tests.foreign import MARKER_PREFIX, Place, markers_of, populate_place
from profdev.orgs.models import Municipality
from profdev.orgs.scoping import Action, scope_of

ALLOWED_FOREIGN_STATUSES = {403, 404, 405}
WRITE_METHODS = ("post", "put", "patch", "delete")
SNAPSHOT_EXCLUDED = {"sessions.session", "accounts.personaldataaccess"}

CHECKED: Counter[str] = Counter()


def _snapshot() -> dict[str, str]:
    """A checksum of every row of every table (history tables included)."""
    result = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in SNAPSHOT_EXCLUDED or model._meta.app_label == "axes":
            continue
        rows = list(model._base_manager.order_by("pk").values_list())
        result[label] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return result


def _model_label(model: type[Model]) -> str:
    return model._meta.label


def _url_for(route: isolation.Route, values: dict[str, Any]) -> str:
    from django.urls import reverse

    return reverse(route.name, kwargs=values)


class Checker:
    """Runs the requests of one role and collects every failure instead of stopping at one."""

    def __init__(self, client: Client, user: Any, places: list[Place]) -> None:
        self.client = client
        self.user = user
        self.failures: list[str] = []
        self.objects: dict[str, list[Model]] = {}
        for place in places:
            for obj in place.objects:
                self.objects.setdefault(_model_label(type(obj)), []).append(obj)
        self.visible: dict[str, list[Model]] = {}
        self.foreign: dict[str, list[Model]] = {}
        forbidden: set[str] = set()
        self.owner: dict[str, str] = {}
        allowed: set[str] = set()
        for label, objs in self.objects.items():
            model: Any = apps.get_model(label)
            manager = model._default_manager
            seen = (
                set(manager.for_user(user).values_list("pk", flat=True))
                if hasattr(manager, "for_user")
                else {o.pk for o in objs}
            )
            for obj in objs:
                if obj.pk in seen:
                    self.visible.setdefault(label, []).append(obj)
                    allowed |= markers_of(obj)
                else:
                    self.foreign.setdefault(label, []).append(obj)
                    if self._is_public_name(obj):
                        continue
                    forbidden |= markers_of(obj)
                    for found in markers_of(obj):
                        self.owner[found] = f"{label}#{obj.pk}"
        self.forbidden = forbidden - allowed

    def _is_public_name(self, obj: Model) -> bool:
        """Municipality names of one's own region are public (a regional event names its host)."""
        return isinstance(obj, Municipality) and obj.region_id == self.user.region_id

    def fail(self, message: str) -> None:
        self.failures.append(f"[{self.user.username}] {message}")

    def foreign_object(self, model: type[Model], where: str) -> Model | None:
        found = self.foreign.get(_model_label(model))
        if not found:
            everything = getattr(model, "scope_filter", None)
            sees_all = everything is not None and everything(scope_of(self.user), Action.VIEW) == Q(
                **{}
            )
            if sees_all:
                CHECKED[f"{model._meta.label} visible to all {self.user.role}s by design"] += 1
            elif _model_label(model) not in isolation.GLOBAL_MODELS:
                self.fail(f"{where}: the foreign world has no out-of-scope {model._meta.label}")
            return None
        return found[0]

    def visible_object(self, model: type[Model]) -> Model | None:
        found = self.visible.get(_model_label(model))
        return found[0] if found else None

    def check_no_leak(self, url: str, response: Any, method: str = "GET") -> None:
        CHECKED["leak checks"] += 1
        if response.status_code >= 500:
            self.fail(f"{method} {url}: server error {response.status_code}")
            return
        if response.status_code != 200:
            return
        text = isolation.response_text(response)
        leaked = sorted(f"{m} ({self.owner[m]})" for m in self.forbidden if m in text)
        if leaked:
            self.fail(f"{method} {url}: shows out-of-scope records {leaked[:5]}")

    def check_refused(self, url: str, method: str, **extra: Any) -> None:
        CHECKED["foreign-object requests"] += 1
        response = getattr(self.client, method)(url, **extra)
        if response.status_code not in ALLOWED_FOREIGN_STATUSES:
            self.fail(
                f"{method.upper()} {url} (out-of-scope record): {response.status_code}, "
                "expected 403/404"
            )


def _page_routes() -> list[isolation.Route]:
    return [r for r in isolation.walk_urls() if not r.name.startswith("api:")]


def _check_pages(checker: Checker) -> None:
    values = isolation.value_kwargs()
    for route in _page_routes():
        if route.name in isolation.NON_OBJECT_URLS:
            continue
        object_kwargs = [k for k in route.kwargs if k not in values]
        if route.name == "common:file-download":
            _check_file_downloads(checker)
            continue
        value_choices = {k: values[k] for k in route.kwargs if k in values}
        fixed: dict[str, Any] = {k: v[0] for k, v in value_choices.items()}
        if not object_kwargs:
            variants = (
                [fixed]
                if not value_choices
                else [{**fixed, k: v} for k, choices in value_choices.items() for v in choices]
            )
            for index, kwargs in enumerate(variants):
                url = _url_for(route, kwargs)
                queries = ("?q=" + MARKER_PREFIX, "?export=xlsx") if index == 0 else ("",)
                for query in queries:
                    checker.check_no_leak(url + query, checker.client.get(url + query))
            continue
        models = {}
        for kwarg in object_kwargs:
            label = isolation.KWARG_MODELS.get(kwarg)
            model = apps.get_model(label) if label else None
            if kwarg == "pk":
                model = isolation.model_of_route(route)
            if model is None:
                checker.fail(f"{route.name}: cannot tell which model `{kwarg}` names")
                break
            models[kwarg] = model
        else:
            # Out of scope: every object kwarg in turn names a foreign record.
            for kwarg, model in models.items():
                foreign = checker.foreign_object(model, route.name)
                if foreign is None:
                    continue
                kwargs = dict(fixed)
                for other, other_model in models.items():
                    if other == kwarg:
                        kwargs[other] = foreign.pk
                    else:
                        near = checker.visible_object(other_model) or checker.foreign_object(
                            other_model, route.name
                        )
                        kwargs[other] = near.pk if near else 0
                url = _url_for(route, kwargs)
                checker.check_refused(url, "get")
                checker.check_refused(url, "post", data={"comment": "x", "status": "done"})
            # In scope: the page of a visible record shows nothing of foreign ones.
            kwargs = dict(fixed)
            for kwarg, model in models.items():
                visible = checker.visible_object(model)
                if visible is None:
                    break
                kwargs[kwarg] = visible.pk
            else:
                url = _url_for(route, kwargs)
                checker.check_no_leak(url, checker.client.get(url))


def _check_file_downloads(checker: Checker) -> None:
    from django.urls import reverse

    for label, objs in checker.foreign.items():
        for obj in objs:
            for model_field in obj._meta.concrete_fields:
                if model_field.get_internal_type() != "FileField":
                    continue
                if not getattr(obj, model_field.attname):
                    continue
                url = reverse(
                    "common:file-download",
                    kwargs={
                        "app_label": obj._meta.app_label,
                        "model_name": obj._meta.model_name,
                        "pk": obj.pk,
                        "field": model_field.name,
                    },
                )
                checker.check_refused(url, "get")
                CHECKED[f"file fields {label}.{model_field.name}"] += 0


def _check_api(checker: Checker) -> None:
    for path, method in isolation.schema_operations():
        params = isolation.PATH_PARAM.findall(path)
        if not params:
            if method == "GET":
                for query in ("", "?search=" + MARKER_PREFIX):
                    url = path + query
                    checker.check_no_leak(url, checker.client.get(url), method)
            continue
        concrete = isolation.PATH_PARAM.sub("1", path)
        match = resolve(concrete)
        cls = getattr(match.func, "cls", None)
        model = isolation.model_of_viewset(cls)
        if model is None:
            checker.fail(f"API {method} {path}: cannot tell the model of {cls}")
            continue
        param_models = {params[0]: model}
        for extra in params[1:]:
            label = isolation.KWARG_MODELS.get(extra)
            if label is None:
                checker.fail(f"API {method} {path}: cannot tell which model `{extra}` names")
                break
            param_models[extra] = apps.get_model(label)
        else:
            for param, param_model in param_models.items():
                foreign = checker.foreign_object(param_model, f"API {path}")
                if foreign is None:
                    continue
                url = path
                for other, other_model in param_models.items():
                    obj = (
                        foreign
                        if other == param
                        else checker.visible_object(other_model) or foreign
                    )
                    url = url.replace("{" + other + "}", str(obj.pk))
                body = (
                    {"data": json.dumps({}), "content_type": "application/json"}
                    if method in {"POST", "PUT", "PATCH"}
                    else {}
                )
                checker.check_refused(url, method.lower(), **body)
            if method == "GET":
                url = path
                for param, param_model in param_models.items():
                    visible = checker.visible_object(param_model)
                    if visible is None:
                        break
                    url = url.replace("{" + param + "}", str(visible.pk))
                else:
                    checker.check_no_leak(url, checker.client.get(url), method)


def _attach_attempt(checker: Checker, method: str, url: str, foreign: Model, **extra: Any) -> None:
    """A write naming an out-of-scope parent in its body attaches nothing to that parent.

    The request runs inside a savepoint that is rolled back, so each attempt starts from the
    same database; what counts is whether any record points at the foreign one afterwards.
    """
    CHECKED["foreign parents in request bodies"] += 1
    before = isolation.references_to(foreign)
    savepoint = transaction.savepoint()
    try:
        response = getattr(checker.client, method)(url, **extra)
        after = isolation.references_to(foreign)
    finally:
        transaction.savepoint_rollback(savepoint)
    CHECKED[f"  answered {response.status_code}"] += 1
    label = f"{_model_label(type(foreign))}#{foreign.pk}"
    if response.status_code >= 500:
        checker.fail(f"{method.upper()} {url} naming {label} in the body: server error")
    elif after != before:
        checker.fail(
            f"{method.upper()} {url}: attached a record to the out-of-scope {label} "
            f"({response.status_code})"
        )


def _check_page_bodies(checker: Checker) -> None:
    """Every page form that chooses records, posted with an out-of-scope record in each field."""
    values = isolation.value_kwargs()
    for route in _page_routes():
        form_class = isolation.form_class_of(route)
        if form_class is None or route.name in isolation.NON_OBJECT_URLS:
            continue
        kwargs: dict[str, Any] = {k: values[k][0] for k in route.kwargs if k in values}
        instance = None
        for kwarg in route.kwargs:
            if kwarg in values:
                continue
            label = isolation.KWARG_MODELS.get(kwarg)
            model = isolation.model_of_route(route) if kwarg == "pk" else apps.get_model(label)
            visible = checker.visible_object(model) if model is not None else None
            if visible is None:
                break
            kwargs[kwarg] = visible.pk
            if kwarg == "pk":
                instance = visible
        else:
            form_model = getattr(getattr(form_class, "_meta", None), "model", None)
            if instance is None and form_model is not None:
                instance = checker.visible_object(form_model)
            base = isolation.form_data(form_class, instance)
            url = _url_for(route, kwargs)
            for name, model, many in isolation.choice_fields(form_class):
                found = checker.foreign.get(_model_label(model))
                if not found:
                    continue
                foreign = found[0]
                data = {**base, name: [foreign.pk] if many else foreign.pk}
                _attach_attempt(checker, "post", url, foreign, data=data)


def _api_serializer(checker: Checker, path: str, method: str) -> tuple[Any, Any]:
    """The serializer an API operation reads its body with, and the view's model."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory, force_authenticate

    match = resolve(isolation.PATH_PARAM.sub("1", path))
    cls = match.func.cls  # type: ignore[attr-defined]
    view = cls(**getattr(match.func, "initkwargs", {}))
    view.action_map = getattr(match.func, "actions", {})
    view.action = view.action_map.get(method.lower())
    factory = APIRequestFactory()
    raw = getattr(factory, method.lower())(path)
    force_authenticate(raw, user=checker.user)
    view.request = Request(raw)
    view.request.user = checker.user
    view.kwargs = match.kwargs
    view.format_kwarg = None
    try:
        serializer_class = view.get_serializer_class()
    except Exception:
        return None, None
    return serializer_class(context=view.get_serializer_context()), isolation.model_of_viewset(cls)


def _check_api_bodies(checker: Checker) -> None:
    """Every API write whose body chooses records, with an out-of-scope record in each field."""
    from rest_framework.renderers import JSONRenderer

    for path, method in isolation.schema_operations():
        if method not in {"POST", "PUT", "PATCH"}:
            continue
        serializer, model = _api_serializer(checker, path, method)
        if serializer is None:
            continue
        fields = list(isolation.serializer_choice_fields(serializer))
        if not fields:
            continue
        params = isolation.PATH_PARAM.findall(path)
        url = path
        visible = checker.visible_object(model) if model is not None else None
        for param in params:
            if visible is None:
                break
            url = url.replace("{" + param + "}", str(visible.pk))
        else:
            base: dict[str, Any] = {}
            serializer_model = getattr(getattr(serializer, "Meta", None), "model", None)
            sample = checker.visible_object(serializer_model) if serializer_model else None
            if sample is not None and method != "PATCH":
                shown = type(serializer)(sample, context=serializer.context).data
                base = json.loads(JSONRenderer().render(shown))
            for name, field_model, many in fields:
                found = checker.foreign.get(_model_label(field_model))
                if not found:
                    continue
                foreign = found[0]
                body = {**base, name: [foreign.pk] if many else foreign.pk}
                _attach_attempt(
                    checker,
                    method.lower(),
                    url,
                    foreign,
                    data=json.dumps(body),
                    content_type="application/json",
                )


@pytest.fixture
def foreign_places(world: World) -> list[Place]:
    return [populate_place(world.tomsk), populate_place(world.nsk)]


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_nothing_outside_the_scope_can_be_read_or_changed(
    role: str, request: Any, world: World, foreign_places: list[Place], client: Client
) -> None:
    user = request.getfixturevalue(role)
    client.force_login(user)
    CHECKED.clear()
    checker = Checker(client, user, foreign_places)
    assert checker.forbidden, "the foreign world must hold records outside every role's scope"
    before = _snapshot()
    _check_pages(checker)
    _check_api(checker)
    _check_page_bodies(checker)
    _check_api_bodies(checker)
    after = _snapshot()
    changed = sorted(label for label in before if before[label] != after.get(label))
    if changed:
        checker.fail(f"the database changed: {changed}")
    print(f"isolation [{role}]: {dict(CHECKED)}")  # the figures for the report (pytest -s)
    assert not checker.failures, "\n".join(checker.failures)


def test_every_url_is_classified() -> None:
    """A new page or API route that the isolation test cannot reason about fails here."""
    values = isolation.value_kwargs()
    problems = []
    schema_names = set()
    for path, _method in isolation.schema_operations():
        schema_names.add(resolve(isolation.PATH_PARAM.sub("1", path)).view_name)
    for route in isolation.walk_urls():
        if route.name in isolation.NON_OBJECT_URLS:
            continue
        if route.name.startswith("api:"):
            if "format" in route.kwargs:
                continue  # `.json` suffix variants of the same viewset route
            if route.name not in schema_names:
                problems.append(f"{route.pattern} ({route.name}): not in the OpenAPI schema")
            continue
        for kwarg in route.kwargs:
            if kwarg in values or kwarg in isolation.KWARG_MODELS:
                continue
            if kwarg == "pk" and isolation.model_of_route(route) is not None:
                continue
            if route.name == "common:file-download":
                continue
            problems.append(f"{route.pattern} ({route.name}): unknown kwarg `{kwarg}`")
    assert not problems, "\n".join(problems)


def test_every_scoped_model_has_foreign_records(world: World) -> None:
    """The foreign world holds a record of every scoped model, so each URL has a target."""
    from profdev.orgs.scoping import ScopedModel

    place = populate_place(world.nsk)
    built = {type(obj) for obj in place.objects}
    missing = [
        model._meta.label
        for model in apps.get_models()
        if issubclass(model, ScopedModel)
        and model not in built
        and model._meta.label not in isolation.GLOBAL_MODELS
        and model._meta.label != "orgs.Region"
    ]
    assert not missing, f"add these models to foreign.populate_place: {missing}"


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_admin_is_closed_to_every_role(role: str, request: Any, client: Client) -> None:
    """The Django admin is for staff accounts only; no role of the system is staff."""
    client.force_login(request.getfixturevalue(role))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_body_check_catches_an_attachment_and_rolls_it_back(
    world: World, operator: Any, foreign_places: list[Place], client: Client
) -> None:
    """The detector itself: a request that attaches a record to a foreign one is reported."""
    from django.http import HttpResponseRedirect

    from profdev.events.models import Event, EventParticipation

    checker = Checker(client, operator, foreign_places)
    foreign_event = next(e for e in checker.foreign["events.Event"] if isinstance(e, Event))

    class AttachingClient:
        def post(self, url: str, **extra: Any) -> Any:
            EventParticipation.objects.create(event=foreign_event, teacher=world.teacher_a)
            return HttpResponseRedirect("/")

    checker.client = AttachingClient()  # type: ignore[assignment]
    before = EventParticipation.objects.count()
    _attach_attempt(checker, "post", "/events/x/", foreign_event)
    assert (
        checker.failures
        and "attached a record to the out-of-scope events.Event" in (checker.failures[0])
    )
    assert EventParticipation.objects.count() == before
