"""The one scoping mechanism: every read of a scoped model goes through `for_user(user, action)`.

A model describes how it hangs on the organization tree with `scope_paths` (lookups from the
model to a region, a municipality, an organization and a teacher) and which roles may change it
with `scope_write_roles`. `ScopedQuerySet.for_user` turns a user's role and place in the tree into
one `Q`; pages, exports, the API and search all start from it, so no view can forget it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q

from profdev.accounts.choices import REGION_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from profdev.accounts.models import User


class Action(enum.StrEnum):
    VIEW = "view"
    CHANGE = "change"  # create, edit and delete


class Level(enum.StrEnum):
    ALL = "all"
    REGION = "region"
    MUNICIPALITY = "municipality"
    ORGANIZATION = "organization"
    PERSON = "person"
    NONE = "none"


@dataclass(frozen=True)
class Scope:
    """Where a user stands in the tree: a level and the id of the node at that level."""

    role: str | None
    level: Level
    node_id: int | None = None

    @property
    def is_everything(self) -> bool:
        return self.level == Level.ALL


NOTHING = Scope(role=None, level=Level.NONE)

# A path is a lookup from the model to the node's id, or a function returning a Q for a node id.
ScopePath = str | Callable[[int], Q] | None


@dataclass(frozen=True)
class ScopePaths:
    """How a model is reached from each level of the tree; None means not reachable."""

    region: ScopePath = None
    municipality: ScopePath = None
    organization: ScopePath = None
    person: ScopePath = None

    def for_level(self, level: Level) -> ScopePath:
        return {
            Level.REGION: self.region,
            Level.MUNICIPALITY: self.municipality,
            Level.ORGANIZATION: self.organization,
            Level.PERSON: self.person,
        }.get(level)


def scope_of(user: User | AnonymousUser | None) -> Scope:
    """The scope a user works in, derived from their role and binding."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Scope(role=Role.OPERATOR, level=Level.ALL)
    role = user.role
    if role in REGION_ROLES:
        if user.region_id is None:
            return Scope(role=role, level=Level.ALL)
        return Scope(role=role, level=Level.REGION, node_id=user.region_id)
    if role == Role.MUNICIPAL and user.municipality_id:
        return Scope(role=role, level=Level.MUNICIPALITY, node_id=user.municipality_id)
    if role == Role.SCHOOL and user.organization_id:
        return Scope(role=role, level=Level.ORGANIZATION, node_id=user.organization_id)
    if role == Role.TEACHER and user.teacher_id:
        return Scope(role=role, level=Level.PERSON, node_id=user.teacher_id)
    return NOTHING


def path_q(path: ScopePath, node_id: int) -> Q | None:
    if path is None:
        return None
    if callable(path):
        return path(node_id)
    return Q(**{path: node_id})


class ScopedModel(models.Model):
    """Mixin for models that live somewhere in the organization tree."""

    scope_paths: ScopePaths = ScopePaths()
    scope_view_roles: frozenset[str] = frozenset(Role)
    scope_write_roles: frozenset[str] = frozenset({Role.OPERATOR})

    class Meta:
        abstract = True

    @classmethod
    def scope_filter(cls, scope: Scope, action: Action) -> Q | None:
        """The Q selecting what `scope` may see or change; None means nothing at all."""
        if scope.level == Level.NONE or scope.role is None:
            return None
        allowed = cls.scope_write_roles if action == Action.CHANGE else cls.scope_view_roles
        if scope.role not in allowed:
            return None
        if scope.level == Level.ALL:
            return Q()
        assert scope.node_id is not None
        return path_q(cls.scope_paths.for_level(scope.level), scope.node_id)


class ScopedQuerySet(models.QuerySet[Any]):
    """QuerySet with the single scoping entry point."""

    def for_user(self, user: Any, action: Action = Action.VIEW) -> Self:
        return self.for_scope(scope_of(user), action)

    def for_scope(self, scope: Scope, action: Action = Action.VIEW) -> Self:
        model: Any = self.model
        condition = model.scope_filter(scope, action)
        if condition is None:
            return self.none()
        return self.filter(condition)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def viewable_ids(user: Any, model: Any, ids: Iterable[int]) -> set[int]:
    """Which of these records of a scoped model `user` may open: a page links to the others'
    pages only where the link leads somewhere (a teacher's own page names the school, whose
    page the teacher cannot open)."""
    wanted = {pk for pk in ids if pk is not None}
    manager = model._default_manager
    if not wanted or user is None or not hasattr(manager, "for_user"):
        return set()
    return set(
        manager.for_user(user, Action.VIEW).filter(pk__in=wanted).values_list("pk", flat=True)
    )


def url_if_viewable(user: Any, obj: Any, url: str | None = None) -> str | None:
    """`url` (by default the object's page) when `user` may open the object, else None (as
    for `viewable_ids`: a school's page names its municipality, which a school coordinator
    cannot open; a model without a page of its own has no link either)."""
    if obj is None:
        return None
    if url is None:
        get_url = getattr(obj, "get_absolute_url", None)
        try:
            url = str(get_url()) if get_url is not None else None
        except Exception:  # a model without a routed page
            url = None
        if url is None:
            return None  # no page to link to: nothing to ask the database
    return url if viewable_ids(user, type(obj), [obj.pk]) else None
