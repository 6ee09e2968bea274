"""Filters for mentorship lists, shared by pages, exports and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from profdev.common.filters import SearchFilter, scoped_choices
from profdev.mentorship.choices import ManagementMentoringStatus, PairStatus
from profdev.mentorship.models import ManagementMentoring, MentoringForm, MentorPair, TargetModel
from profdev.orgs.models import Municipality, Organization


class MentorPairFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=("mentor__last_name", "mentees__last_name", "goals"))
    municipality = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Municipality),
        field_name="organization__municipality",
        label=_("Муниципалитет"),
    )
    organization = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Organization), label=_("Организация")
    )
    status = django_filters.ChoiceFilter(choices=PairStatus.choices, label=_("Статус"))
    form = django_filters.ModelChoiceFilter(queryset=MentoringForm.objects.all(), label=_("Форма"))

    class Meta:
        model = MentorPair
        fields = ["q", "municipality", "organization", "status", "form"]


class TargetModelFilterSet(django_filters.FilterSet):
    municipality = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Municipality),
        field_name="organization__municipality",
        label=_("Муниципалитет"),
    )

    class Meta:
        model = TargetModel
        fields = ["municipality", "organization"]


class ManagementMentoringFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ManagementMentoringStatus.choices, label=_("Статус")
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Municipality),
        field_name="mentee_organization__municipality",
        label=_("Муниципалитет наставляемой"),
    )
    low_results = django_filters.BooleanFilter(
        field_name="mentee_organization__low_results", label=_("Наставляемая — ШНОР")
    )

    class Meta:
        model = ManagementMentoring
        fields = ["status", "municipality", "low_results"]
