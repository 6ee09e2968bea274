"""Filters of the learning lists, shared by pages, XLSX exports and the API."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from profdev.common.filters import SearchFilter, scoped_choices
from profdev.learning.choices import (
    EnrollmentStatus,
    ProgramAudience,
    ProgramProvider,
    RouteStatus,
)
from profdev.learning.models import (
    Cohort,
    CompetenceArea,
    Diagnostic,
    DiagnosticScore,
    Enrollment,
    Program,
    Route,
    StaffTraining,
)
from profdev.orgs.models import Municipality, Organization
from profdev.people.models import Employment, active_employment_q

TEACHER_SEARCH = ("teacher__last_name", "teacher__first_name", "teacher__middle_name")


class TeacherPlaceFilterSet(django_filters.FilterSet):
    """Year, municipality and organization of records reached through a teacher."""

    teacher_path = "teacher"
    date_field = ""

    year = django_filters.NumberFilter(
        method="filter_year", label=_("Год"), min_value=1900, max_value=2100
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Municipality), method="employed_in", label=_("Муниципалитет")
    )
    organization = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Organization), method="employed_in", label=_("Организация")
    )

    teacher = django_filters.NumberFilter(
        field_name="teacher", widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )

    def filter_year(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(**{f"{self.date_field}__year": int(value)})

    def employed_in(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        lookup = "organization__municipality" if name == "municipality" else "organization"
        employments = Employment.objects.filter(
            active_employment_q(), teacher=OuterRef(self.teacher_path), **{lookup: value}
        )
        return queryset.filter(Exists(employments))


class RouteFilterSet(TeacherPlaceFilterSet):
    date_field = "developed_on"
    q = SearchFilter(fields=TEACHER_SEARCH, label=_("ФИО педагога"))
    status = django_filters.ChoiceFilter(choices=RouteStatus.choices, label=_("Статус"))
    deficit = django_filters.ModelChoiceFilter(
        queryset=CompetenceArea.objects.all(), field_name="deficits", label=_("Дефицит")
    )

    class Meta:
        model = Route
        fields = ["q", "year", "municipality", "organization", "status", "deficit", "teacher"]


DIAGNOSTIC_STATUS_CHOICES = [
    ("deficits", _("Выявлены дефициты")),
    ("no_deficits", _("Дефицитов нет")),
]


class DiagnosticFilterSet(TeacherPlaceFilterSet):
    date_field = "conducted_on"
    q = SearchFilter(fields=TEACHER_SEARCH, label=_("ФИО педагога"))
    status = django_filters.ChoiceFilter(
        choices=DIAGNOSTIC_STATUS_CHOICES, method="filter_status", label=_("Результат")
    )
    deficit = django_filters.ModelChoiceFilter(
        queryset=CompetenceArea.objects.all(), method="has_deficit", label=_("Дефицит")
    )

    class Meta:
        model = Diagnostic
        fields = ["q", "year", "municipality", "organization", "status", "deficit", "teacher"]

    def filter_status(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        deficits = DiagnosticScore.objects.filter(
            diagnostic=OuterRef("pk"), score__lt=F("threshold")
        )
        return queryset.filter(Exists(deficits) if value == "deficits" else ~Exists(deficits))

    def has_deficit(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(
            scores__area=value, scores__score__lt=F("scores__threshold")
        ).distinct()


class EnrollmentFilterSet(TeacherPlaceFilterSet):
    date_field = "cohort__start_date"
    q = SearchFilter(fields=TEACHER_SEARCH, label=_("ФИО педагога"))
    status = django_filters.ChoiceFilter(choices=EnrollmentStatus.choices, label=_("Статус"))
    program = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Program), field_name="cohort__program", label=_("Программа")
    )
    audience = django_filters.ChoiceFilter(
        choices=ProgramAudience.choices,
        field_name="cohort__program__audience",
        label=_("Категория"),
    )

    class Meta:
        model = Enrollment
        fields = [
            "q",
            "year",
            "municipality",
            "organization",
            "status",
            "program",
            "audience",
            "cohort",
            "teacher",
        ]

    cohort = django_filters.NumberFilter(
        field_name="cohort", widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )


class ProgramFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=("title", "provider_name"), label=_("Название"))
    year = django_filters.NumberFilter(
        method="filter_year", label=_("Год потока"), min_value=1900, max_value=2100
    )
    audience = django_filters.ChoiceFilter(choices=ProgramAudience.choices, label=_("Категория"))
    provider = django_filters.ChoiceFilter(choices=ProgramProvider.choices, label=_("Реализует"))
    area = django_filters.ModelChoiceFilter(
        queryset=CompetenceArea.objects.all(), field_name="areas", label=_("Дефицит")
    )
    in_federal_registry = django_filters.BooleanFilter(
        label=_("В федеральном реестре"), widget=forms.NullBooleanSelect
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Municipality),
        method="learners_from",
        label=_("Обучались педагоги муниципалитета"),
    )
    organization = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Organization),
        method="learners_from",
        label=_("Обучались педагоги организации"),
    )

    class Meta:
        model = Program
        fields = [
            "q",
            "year",
            "municipality",
            "organization",
            "audience",
            "provider",
            "area",
            "in_federal_registry",
        ]

    def learners_from(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """Programs with at least one learner working in the municipality or organization."""
        if not value:
            return queryset
        lookup = "organization__municipality" if name == "municipality" else "organization"
        employments = Employment.objects.filter(
            active_employment_q(), teacher=OuterRef("teacher"), **{lookup: value}
        )
        learners = Enrollment.objects.filter(cohort__program=OuterRef("pk")).filter(
            Exists(employments)
        )
        return queryset.filter(Exists(learners))

    def filter_year(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(
            Exists(Cohort.objects.filter(program=OuterRef("pk"), start_date__year=int(value)))
        )


class CohortFilterSet(django_filters.FilterSet):
    program = django_filters.NumberFilter(
        field_name="program", widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )

    class Meta:
        model = Cohort
        fields = ["program"]


class StaffTrainingFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=("staff__last_name", "program_title"), label=_("Поиск"))
    year = django_filters.NumberFilter(
        field_name="start_date__year", label=_("Год"), min_value=1900, max_value=2100
    )
    completed = django_filters.BooleanFilter(
        method="filter_completed", label=_("Завершено"), widget=forms.NullBooleanSelect
    )

    staff = django_filters.NumberFilter(
        field_name="staff", widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )

    class Meta:
        model = StaffTraining
        fields = ["q", "year", "completed", "staff"]

    def filter_completed(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(~Q(completed_on=None) if value else Q(completed_on=None))
