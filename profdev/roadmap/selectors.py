"""Reads of the roadmap: completeness and timeliness of a campaign, per municipality."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from profdev.orgs.scoping import Action
from profdev.roadmap.choices import ParticipantKind, ReportStatus
from profdev.roadmap.models import Campaign, Report, ReportItem, Waiver


def reports_for(*, user: Any, campaign: Campaign) -> QuerySet[Report]:
    """The campaign's reports the user may see, with the filled-in counters."""
    # user=None is the system (command line, background document): the whole campaign.
    base = Report.objects.all() if user is None else Report.objects.for_user(user, Action.VIEW)
    return (
        base.filter(campaign=campaign)
        .select_related("organization", "municipality", "campaign")
        .annotate(
            filled=Count("items", filter=~Q(items__status="")),
            total=Count("items"),
            waived=Exists(
                Waiver.objects.filter(
                    campaign_id=OuterRef("campaign_id"), organization_id=OuterRef("organization_id")
                )
            ),
        )
    )


@dataclass
class Completeness:
    """Counts of one municipality's (or the whole campaign's) reports by state."""

    name: str
    municipality_id: int | None = None
    total: int = 0
    missing: int = 0  # nothing filled in yet
    draft: int = 0  # started, or returned for rework
    submitted: int = 0
    accepted: int = 0
    waived: int = 0
    late: int = 0
    late_names: list[str] = field(default_factory=list)

    @property
    def accepted_share(self) -> float:
        expected = self.total - self.waived
        return self.accepted / expected if expected else 1.0

    @property
    def heat(self) -> str:
        """A Bootstrap colour for the heat grid."""
        share = self.accepted_share
        if share >= 0.9:
            return "success"
        if share >= 0.5:
            return "warning"
        return "danger"

    def add(self, report: Any, *, late: bool) -> None:
        self.total += 1
        if report.waived:
            self.waived += 1
            return
        if report.status == ReportStatus.ACCEPTED:
            self.accepted += 1
        elif report.status == ReportStatus.SUBMITTED:
            self.submitted += 1
        elif report.filled == 0 and report.status == ReportStatus.DRAFT:
            self.missing += 1
        else:
            self.draft += 1
        if late:
            self.late += 1
            self.late_names.append(report.participant_name)


def is_late(report: Any, campaign: Campaign, today: datetime.date) -> bool:
    """Not handed in by the deadline: still open after it, or submitted after it."""
    if getattr(report, "waived", False):
        return False
    if report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        return today > campaign.deadline
    if report.submitted_at is not None:
        return bool(timezone.localtime(report.submitted_at).date() > campaign.deadline)
    return False


def campaign_completeness(
    *, user: Any, campaign: Campaign, today: datetime.date | None = None
) -> tuple[list[Completeness], Completeness]:
    """Rows per municipality (its schools and its own report) and the total row."""
    today = today or timezone.localdate()
    rows: dict[int | None, Completeness] = {}
    total = Completeness(name=_("Итого"))
    for report in reports_for(user=user, campaign=campaign).order_by("municipality__name"):
        key = report.municipality_id
        if key not in rows:
            name = str(report.municipality) if report.municipality else _("Региональный оператор")
            rows[key] = Completeness(name=name, municipality_id=key)
        late = is_late(report, campaign, today)
        rows[key].add(report, late=late)
        total.add(report, late=late)
    ordered = sorted(rows.values(), key=lambda r: (r.municipality_id is None, r.name))
    return ordered, total


def activity_execution(*, user: Any, campaign: Campaign) -> list[dict[str, Any]]:
    """For each activity: how many participants report it done, partly, not done, n/a, empty."""
    base = ReportItem.objects.all() if user is None else ReportItem.objects.for_user(user)
    items = base.filter(report__campaign=campaign)
    rows = (
        items.values("activity_id", "activity__number", "activity__title", "activity__sort_key")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status="done")),
            partly=Count("id", filter=Q(status="partly")),
            not_done=Count("id", filter=Q(status="not_done")),
            not_applicable=Count("id", filter=Q(status="not_applicable")),
            empty=Count("id", filter=Q(status="")),
        )
        .order_by("activity__sort_key")
    )
    result = []
    for row in rows:
        applicable = row["total"] - row["not_applicable"]
        row["done_share"] = row["done"] / applicable if applicable else 0.0
        result.append(row)
    return result


def figure_outliers(*, report: Report) -> list[str]:
    """Reported figures that disagree with the school's own registry (for the reviewer)."""
    if report.kind != ParticipantKind.ORGANIZATION or report.organization_id is None:
        return []
    from profdev.people.models import Employment, active_employment_q
    from profdev.roadmap.services import figures_of

    figures = figures_of(report)
    notes: list[str] = []
    teachers = (
        Employment.objects.filter(active_employment_q("", report.campaign.period_end))
        .filter(organization_id=report.organization_id)
        .values("teacher_id")
        .distinct()
        .count()
    )
    if "teachers" in figures and teachers and figures["teachers"] != teachers:
        notes.append(
            _("Педагогов в отчёте %(reported)s, в реестре на конец периода %(registry)s.")
            % {"reported": int(figures["teachers"]), "registry": teachers}
        )
    if "pairs" in figures and teachers and figures["pairs"] > teachers:
        notes.append(
            _(
                "Наставнических пар в отчёте %(reported)s — больше, чем педагогов в реестре (%(registry)s)."
            )
            % {"reported": int(figures["pairs"]), "registry": teachers}
        )
    return notes


@dataclass
class RuleCheck:
    """One validation rule against a report's figures, for the reviewer."""

    rule: Any
    left: float | None
    right: float | None

    @property
    def state(self) -> str:
        """'ok', 'broken', or 'no_data' when the report lacks one of the figures."""
        if self.left is None or self.right is None:
            return "no_data"
        return "ok" if self.rule.holds(self.left, self.right) else "broken"


def rule_checks(*, report: Report) -> list[RuleCheck]:
    """The program's rules with the report's figures on both sides."""
    from profdev.roadmap.services import figures_of

    figures = figures_of(report)
    return [
        RuleCheck(rule=rule, left=figures.get(rule.left), right=figures.get(rule.right))
        for rule in report.campaign.program.rules.order_by("pk")
    ]
