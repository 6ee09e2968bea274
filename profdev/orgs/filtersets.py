"""Filters for the organization tree, shared by list pages, exports and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from profdev.common.filters import SearchFilter, scoped_choices
from profdev.orgs.choices import Founder, MunicipalityKind, OrganizationKind
from profdev.orgs.models import Municipality, Organization


class MunicipalityFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=("name", "oktmo"), widget=forms.TextInput(attrs={"type": "search"}))
    kind = django_filters.ChoiceFilter(choices=MunicipalityKind.choices, label=_("Вид"))

    class Meta:
        model = Municipality
        fields = ["q", "kind", "region"]


class OrganizationFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        fields=("name", "short_name", "inn"), widget=forms.TextInput(attrs={"type": "search"})
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Municipality), label=_("Муниципалитет")
    )
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label=_("Тип"))
    founder = django_filters.ChoiceFilter(choices=Founder.choices, label=_("Учредитель"))
    low_results = django_filters.BooleanFilter(label=_("ШНОР"))

    class Meta:
        model = Organization
        fields = ["q", "municipality", "kind", "founder", "low_results"]
