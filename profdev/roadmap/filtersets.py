"""Filters of report lists, shared by the page, its export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from profdev.common.filters import scoped_choices
from profdev.orgs.models import Municipality
from profdev.roadmap.choices import ParticipantKind, ReportStatus
from profdev.roadmap.models import Campaign, Report


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
