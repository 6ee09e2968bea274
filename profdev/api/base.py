"""Base viewset: the API reads every model through the same `for_user` as the pages."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from profdev.orgs.scoping import Action, scope_of


class ScopedWritePermission(BasePermission):
    """Writes need a role allowed to change the model; objects come from the scoped queryset."""

    message = _("У вас нет прав изменять такие записи.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        model = view.get_scoped_model()
        return model.scope_filter(scope_of(request.user), Action.CHANGE) is not None


class ScopedViewSetMixin:
    """Subclasses set `queryset` (the model's manager) or override `get_base_queryset`."""

    def get_scoped_model(self) -> Any:
        return self.queryset.model  # type: ignore[attr-defined]

    def get_queryset(self) -> QuerySet[Any]:
        request: Request = self.request  # type: ignore[attr-defined]
        action = Action.VIEW if request.method in SAFE_METHODS else Action.CHANGE
        queryset: Any = self.get_base_queryset()
        return queryset.for_user(request.user, action)

    def get_base_queryset(self) -> QuerySet[Any]:
        return self.queryset.all()  # type: ignore[attr-defined]


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    permission_classes = [*viewsets.ModelViewSet.permission_classes, ScopedWritePermission]


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
