"""Filters for events and participations, shared by the list page, the export and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from profdev.common.filters import SearchFilter, scoped_choices
from profdev.events.choices import EventFormat, EventKind, EventLevel, ParticipationRole
from profdev.events.models import Event, EventParticipation
from profdev.orgs.models import Municipality


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

    class Meta:
        model = Event
        fields = ["q", "year", "kind", "level", "format", "municipality"]


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
