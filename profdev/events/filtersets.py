"""Filters for events and participations, shared by the list page, the export and the API."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profdev.common.filters import SearchFilter, scoped_choices
from profdev.events.choices import EventFormat, EventKind, EventLevel, ParticipationRole
from profdev.events.models import Event, EventParticipation
from profdev.learning.models import CompetenceArea
from profdev.orgs.models import Municipality, Organization
from profdev.people.models import Employment, active_employment_q

EVENT_STATUS_CHOICES = [
    ("planned", _("Запланировано")),
    ("ongoing", _("Идёт")),
    ("held", _("Проведено")),
]


class EventFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        fields=("title", "organizer", "description"),
        label=_("Название или организатор"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    # Bounded: a huge year overflowed the database integer (a 500 found by API fuzzing).
    year = django_filters.NumberFilter(
        field_name="start_date", lookup_expr="year", label=_("Год"), min_value=1900, max_value=2100
    )
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Вид"))
    level = django_filters.ChoiceFilter(choices=EventLevel.choices, label=_("Уровень"))
    format = django_filters.ChoiceFilter(choices=EventFormat.choices, label=_("Формат"))
    municipality = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Municipality), label=_("Муниципалитет")
    )
    organization = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Organization),
        method="filter_organization",
        label=_("Организация"),
    )
    status = django_filters.ChoiceFilter(
        choices=EVENT_STATUS_CHOICES, method="filter_status", label=_("Статус")
    )
    area = django_filters.ModelChoiceFilter(
        queryset=CompetenceArea.objects.all(), field_name="areas", label=_("Дефицит")
    )

    class Meta:
        model = Event
        fields = [
            "q",
            "year",
            "kind",
            "level",
            "format",
            "municipality",
            "organization",
            "status",
            "area",
        ]

    def filter_organization(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """Organized by the organization, or it or one of its teachers took part."""
        if not value:
            return queryset
        employed = Employment.objects.filter(
            active_employment_q(), organization=value, teacher=OuterRef("teacher")
        )
        participations = EventParticipation.objects.filter(event=OuterRef("pk")).filter(
            Q(organization=value) | Q(Exists(employed))
        )
        return queryset.filter(Q(organizer_organization=value) | Q(Exists(participations)))

    def filter_status(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        today = timezone.localdate()
        if value == "planned":
            return queryset.filter(start_date__gt=today)
        if value == "ongoing":
            return queryset.filter(start_date__lte=today, end_date__gte=today)
        if value == "held":
            return queryset.filter(end_date__lt=today)
        return queryset


class EventParticipationFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        field_name="event__start_date",
        lookup_expr="year",
        label=_("Год"),
        min_value=1900,
        max_value=2100,
    )
    role = django_filters.ChoiceFilter(choices=ParticipationRole.choices, label=_("Роль"))

    class Meta:
        model = EventParticipation
        fields = ["event", "teacher", "organization", "role", "year"]
