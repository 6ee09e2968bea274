"""Shared filter pieces: a search box and scope-limited choices."""

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def scoped_choices(model: type[Model]) -> Callable[[HttpRequest | None], QuerySet[Any]]:
    """Queryset callable for a filter: only the records the requesting user may see."""

    def queryset(request: HttpRequest | None) -> QuerySet[Any]:
        if request is None:
            return model.objects.none()  # type: ignore[attr-defined]
        return model.objects.for_user(request.user)  # type: ignore[attr-defined]

    return queryset


class SearchFilter(django_filters.CharFilter):
    """A free-text search over several fields; every word must match one of them."""

    def __init__(self, *, fields: tuple[str, ...], **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Поиск"))
        kwargs.setdefault("method", self.search)
        super().__init__(**kwargs)
        self.search_fields = fields

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for word in value.split()[:6]:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset
