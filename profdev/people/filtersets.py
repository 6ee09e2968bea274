"""Filters for teachers and staff, shared by list pages, exports and the API."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from profdev.common.filters import scoped_choices
from profdev.common.identifiers import normalize_snils
from profdev.common.widgets import FastSelect
from profdev.orgs.models import Municipality, Organization
from profdev.people.choices import Position, QualificationCategory, StaffPosition
from profdev.people.models import (
    CenterStaff,
    Employment,
    Subject,
    Teacher,
    active_employment_q,
    young_specialist_cutoff,
)


class TeacherFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("ФИО или СНИЛС"), widget=forms.TextInput(attrs={"type": "search"})
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Municipality),
        method="employed_in",
        label=_("Муниципалитет"),
        widget=FastSelect,
    )
    organization = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Organization),
        method="employed_in",
        label=_("Организация"),
        widget=FastSelect,
    )
    position = django_filters.ChoiceFilter(
        choices=Position.choices, method="employed_in", label=_("Должность"), widget=FastSelect
    )
    qualification_category = django_filters.ChoiceFilter(
        choices=QualificationCategory.choices, label=_("Категория"), widget=FastSelect
    )
    subject = django_filters.ModelChoiceFilter(
        queryset=Subject.objects.all(),
        field_name="subjects",
        label=_("Предмет"),
        widget=FastSelect,
    )
    young = django_filters.BooleanFilter(method="young_specialist", label=_("Молодой специалист"))

    class Meta:
        model = Teacher
        fields = [
            "q",
            "municipality",
            "organization",
            "position",
            "qualification_category",
            "subject",
            "young",
        ]

    def search(self, queryset: QuerySet[Teacher], name: str, value: str) -> QuerySet[Teacher]:
        digits = normalize_snils(value)
        if digits.isdigit() and len(digits) == 11:
            return queryset.filter(snils=digits)
        for word in value.split()[:4]:
            queryset = queryset.filter(
                Q(last_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(middle_name__icontains=word)
            )
        return queryset

    def employed_in(self, queryset: QuerySet[Teacher], name: str, value: Any) -> QuerySet[Teacher]:
        if not value:
            return queryset
        lookup = {
            "municipality": "organization__municipality",
            "organization": "organization",
            "position": "position",
        }[name]
        employments = Employment.objects.filter(
            active_employment_q(), teacher=OuterRef("pk"), **{lookup: value}
        )
        return queryset.filter(Exists(employments))

    def young_specialist(
        self, queryset: QuerySet[Teacher], name: str, value: bool | None
    ) -> QuerySet[Teacher]:
        if value is None:
            return queryset
        young = Q(career_start__gt=young_specialist_cutoff())
        return queryset.filter(young if value else ~young | Q(career_start__isnull=True))


class EmploymentFilterSet(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Organization), label=_("Организация")
    )

    class Meta:
        model = Employment
        fields = ["teacher", "organization", "position", "is_management", "kind"]


class StaffFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("ФИО"), widget=forms.TextInput(attrs={"type": "search"})
    )
    position = django_filters.ChoiceFilter(choices=StaffPosition.choices, label=_("Должность"))

    class Meta:
        model = CenterStaff
        fields = ["q", "position"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for word in value.split()[:4]:
            queryset = queryset.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word))
        return queryset
