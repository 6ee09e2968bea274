"""The configurable rule "the school implements the target mentorship model in year Y".

Indicator 6 counts schools meeting `implementing_schools_condition(year)`; the school page shows
`explain_school(organization, year)`, built from the same element conditions, so the two never
disagree.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from profdev.mentorship.models import (
    MentorPair,
    MentorshipSettings,
    TargetModel,
    pair_active_during_q,
)
from profdev.orgs.choices import OrganizationKind
from profdev.orgs.models import Organization


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _element_conditions(year: int, prefix: str = "") -> list[tuple[str, str, bool, Q]]:
    """(code, label, required, condition) for every element of the rule."""
    start, end = _year_bounds(year)
    settings = MentorshipSettings.load()
    outer = OuterRef(f"{prefix}pk")
    local_act = TargetModel.objects.filter(organization=outer, local_act_date__lte=end)
    curator = TargetModel.objects.filter(organization=outer, curator__isnull=False)
    program = (
        TargetModel.objects.filter(organization=outer)
        .exclude(program_title="")
        .filter(
            Q(program_start__isnull=True) | Q(program_start__lte=end),
            Q(program_end__isnull=True) | Q(program_end__gte=start),
        )
    )
    pairs = MentorPair.objects.filter(pair_active_during_q(start, end), organization=outer)
    return [
        (
            "local_act",
            _("Локальный акт о наставничестве, принятый не позднее 31.12.%(year)s")
            % {"year": year},
            settings.rule_requires_local_act,
            Q(Exists(local_act)),
        ),
        ("curator", _("Назначен куратор"), settings.rule_requires_curator, Q(Exists(curator))),
        (
            "program",
            _("Программа наставничества, действующая в %(year)s году") % {"year": year},
            settings.rule_requires_program,
            Q(Exists(program)),
        ),
        (
            "active_pair",
            _("Хотя бы одна наставническая пара, действовавшая в %(year)s году") % {"year": year},
            settings.rule_requires_active_pair,
            Q(Exists(pairs)),
        ),
    ]


def implementing_schools_condition(year: int, prefix: str = "") -> Q:
    """Schools implementing the target model in `year` (the configured rule).

    Use inside `Organization.objects.filter(...)` or `Count(..., filter=...)` over organizations;
    `prefix` (e.g. "organizations__") lets a related model aggregate its organizations.
    """
    condition = Q(**{f"{prefix}kind": OrganizationKind.SCHOOL})
    for _code, _label, required, element in _element_conditions(year, prefix):
        if required:
            condition &= element
    return condition


@dataclass(frozen=True)
class RuleElement:
    code: str
    label: str
    required: bool
    present: bool


@dataclass(frozen=True)
class RuleExplanation:
    year: int
    elements: list[RuleElement]
    implementing: bool

    @property
    def missing(self) -> list[RuleElement]:
        return [e for e in self.elements if e.required and not e.present]


def explain_school(organization: Organization, year: int) -> RuleExplanation:
    """Which elements of the rule the school has in `year`, which it lacks, and the verdict."""
    elements = _element_conditions(year)
    flags = Organization.objects.filter(pk=organization.pk).aggregate(
        **{code: _exists_flag(condition) for code, _label, _required, condition in elements}
    )
    result = [
        RuleElement(code=code, label=label, required=required, present=bool(flags[code]))
        for code, label, required, _condition in elements
    ]
    implementing = organization.kind == OrganizationKind.SCHOOL and all(
        e.present for e in result if e.required
    )
    return RuleExplanation(year=year, elements=result, implementing=implementing)


def _exists_flag(condition: Q) -> Count:
    return Count("pk", filter=condition)
