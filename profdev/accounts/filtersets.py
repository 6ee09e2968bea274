"""The filter of the user-management list (page and export)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from profdev.accounts.choices import Role
from profdev.accounts.models import User
from profdev.orgs.models import Municipality


def _region_municipalities(request: Any) -> QuerySet[Municipality]:
    region_id: Any = getattr(getattr(request, "user", None), "region_id", None)
    return Municipality.objects.filter(region_id=region_id).order_by("name")


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Логин, ФИО или почта"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Роль"))
    municipality = django_filters.ModelChoiceFilter(
        queryset=_region_municipalities, method="in_municipality", label=_("Муниципалитет")
    )
    is_active = django_filters.BooleanFilter(label=_("Действует"))

    class Meta:
        model = User
        fields = ["q", "role", "municipality", "is_active"]

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        for word in value.split()[:4]:
            queryset = queryset.filter(
                Q(username__icontains=word)
                | Q(last_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset

    def in_municipality(self, queryset: QuerySet[User], name: str, value: Any) -> QuerySet[User]:
        if not value:
            return queryset
        return queryset.filter(Q(municipality=value) | Q(organization__municipality=value))
