"""Filters of report lists, shared by the page, its export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from profdev.common.filters import SearchFilter, scoped_choices
from profdev.orgs.models import Municipality
from profdev.roadmap.choices import ParticipantKind, ReportStatus
from profdev.roadmap.models import Campaign, Program, Report, ValidationRule


class ReportFilterSet(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Campaign), label=_("Кампания")
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Municipality), label=_("Муниципалитет")
    )
    kind = django_filters.ChoiceFilter(choices=ParticipantKind.choices, label=_("Участник"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Статус"))

    class Meta:
        model = Report
        fields = ["campaign", "municipality", "kind", "status"]


class ValidationRuleFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=("left", "right", "message"))
    program = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Program), label=_("Программа")
    )

    class Meta:
        model = ValidationRule
        fields = ["q", "program"]
