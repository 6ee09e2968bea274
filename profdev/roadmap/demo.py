"""Demo roadmap: the 2020–2024 program, a finished 2024 campaign and one in progress (late)."""

import datetime
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from profdev.common.demo import DemoContext
from profdev.roadmap import services
from profdev.roadmap.choices import CampaignStatus, ParticipantKind, ReportStatus
from profdev.roadmap.demo_data import (
    ACTIVITIES,
    FIGURE_ACTIVITIES,
    PROGRAM_GOALS,
    PROGRAM_TITLE,
    RULES,
)
from profdev.roadmap.models import (
    Activity,
    Campaign,
    Program,
    Report,
    ReportItem,
    ReportTransition,
    ValidationRule,
    Waiver,
)


def _program(ctx: DemoContext) -> Program:
    program, _ = Program.objects.get_or_create(
        region=ctx.region,
        title=PROGRAM_TITLE,
        defaults={
            "start_year": 2020,
            "end_year": 2024,
            "order_number": "305-р",
            "order_date": datetime.date(2020, 4, 13),
            "goals": PROGRAM_GOALS,
        },
    )
    existing = set(program.activities.values_list("number", flat=True))
    new = [
        Activity(
            program=program,
            number=number,
            sort_key=Activity.make_sort_key(number),
            section=section,
            title=title,
            level_regional="R" in levels,
            level_municipal="M" in levels,
            level_organization="O" in levels,
            responsible=responsible,
            period=period,
            expected_result=result,
            evidence_form=evidence,
            indicator_code=indicator,
            required=number not in ("5.5", "4.2"),
        )
        for number, section, title, levels, responsible, period, result, evidence, indicator in ACTIVITIES
        if number not in existing
    ]
    if new:
        bulk_create_with_history(new, Activity)
    for left, comparison, right, message in RULES:
        ValidationRule.objects.get_or_create(
            program=program,
            left=left,
            right=right,
            defaults={"comparison": comparison, "message": message},
        )
    return program


def _figures(ctx: DemoContext, number: str, size: int) -> dict[str, int]:
    rng = ctx.rng
    if number == "2.2":
        return {"teachers": size, "mentors": rng.randint(1, max(1, size // 4))}
    if number == "2.3":
        return {"pairs": rng.randint(1, max(1, size // 5))}
    if number == "3.2":
        enrolled = rng.randint(1, 6)
        return {"enrolled": enrolled, "trained": rng.randint(0, enrolled)}
    return {}


STATE_PATHS: dict[str, list[str]] = {
    "accepted": [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
    "late": [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
    "returned": [ReportStatus.SUBMITTED, ReportStatus.RETURNED],
    "submitted": [ReportStatus.SUBMITTED],
}
RETURN_COMMENT = "Приложите подтверждающие документы по п. 2.3"


def _item(ctx: DemoContext, campaign: Campaign, activity: Activity, state: str) -> dict[str, Any]:
    rng = ctx.rng
    if state == "empty" or (state == "partial" and rng.random() < 0.5):
        return {}
    roll = rng.random()
    status = (
        "done"
        if roll < 0.72
        else "partly"
        if roll < 0.88
        else "not_done"
        if roll < 0.96
        else "not_applicable"
    )
    values: dict[str, Any] = {
        "status": status,
        "description": "Мероприятие выполнено в полном объёме."
        if status == "done"
        else "Выполнено не полностью, работа продолжается.",
    }
    if activity.number in FIGURE_ACTIVITIES:
        values["figures"] = _figures(ctx, activity.number, rng.randint(12, 80))
    if activity.evidence_form and rng.random() < 0.6:
        values["evidence_link"] = (
            f"https://edu.tomsk.ru/nastavnichestvo/{campaign.year}/{activity.number}"
        )
    return values


def _build(
    ctx: DemoContext,
    program: Program,
    campaign: Campaign,
    weights: list[tuple[str, float]],
    forced: dict[tuple[str, int | None], str],
    when: datetime.datetime,
    late_days: int = 25,
) -> None:
    """Reports, items and transitions with their final state, written in bulk once."""
    rng = ctx.rng
    campaign.full_clean()
    campaign.save()
    reports = services._participants(program)
    states = []
    for report in reports:
        key = (report.kind, report.organization_id or report.municipality_id)
        state = forced.get(key) or forced.get((report.kind, None))
        state = state or rng.choices([s for s, _w in weights], [w for _s, w in weights])[0]
        states.append(state)
        report.campaign = campaign
        path = STATE_PATHS.get(state, [])
        if path:
            # `when` is the deadline: on time before it, late after it (never in the future)
            days = rng.randint(1, max(1, late_days)) if state == "late" else rng.randint(-20, -1)
            report.submitted_at = when + datetime.timedelta(days=days)
            report.status = path[-1]
            if len(path) > 1:
                report.reviewed_at = min(
                    report.submitted_at + datetime.timedelta(days=rng.randint(1, 7)),
                    when + datetime.timedelta(days=max(1, late_days)),
                )
                report.review_comment = RETURN_COMMENT if path[-1] == ReportStatus.RETURNED else ""
    bulk_create_with_history(reports, Report, batch_size=1000)
    saved = {(r.kind, r.organization_id, r.municipality_id): r for r in campaign.reports.all()}
    activities = list(program.activities.all())
    operator = ctx.users.get("operator")
    items: list[ReportItem] = []
    transitions: list[ReportTransition] = []
    for unsaved, state in zip(reports, states, strict=True):
        report = saved[(unsaved.kind, unsaved.organization_id, unsaved.municipality_id)]
        for activity in activities:
            if activity.applies_to(report.kind):
                values = _item(ctx, campaign, activity, state)
                items.append(ReportItem(report=report, activity=activity, **values))
        previous: str = ReportStatus.DRAFT
        for status in STATE_PATHS.get(state, []):
            reviewer = operator if report.kind != ParticipantKind.ORGANIZATION else None
            transitions.append(
                ReportTransition(
                    report=report,
                    from_status=previous,
                    to_status=status,
                    user=reviewer if status != ReportStatus.SUBMITTED else None,
                    comment=RETURN_COMMENT if status == ReportStatus.RETURNED else "",
                )
            )
            previous = status
    bulk_create_with_history(items, ReportItem, batch_size=2000)
    ReportTransition.objects.bulk_create(transitions, batch_size=2000)


def seed(ctx: DemoContext) -> None:
    program = _program(ctx)
    if not program.campaigns.filter(year=2024, half=None).exists():
        start, end = services.period_bounds(2024, None)
        campaign = Campaign(
            program=program,
            title="Мониторинг исполнения дорожной карты за 2024 год",
            year=2024,
            period_start=start,
            period_end=end,
            deadline=datetime.date(2025, 1, 31),
            status=CampaignStatus.CLOSED,
        )
        closed_at = timezone.make_aware(datetime.datetime(2025, 1, 31, 12))
        forced: dict[tuple[str, int | None], str] = {
            (ParticipantKind.MUNICIPALITY, None): "accepted",
            (ParticipantKind.REGION, None): "accepted",
        }
        weights = [("accepted", 0.86), ("late", 0.08), ("returned", 0.06)]
        _build(ctx, program, campaign, weights, forced, closed_at)
        ctx.say(f"Кампания «{campaign.title}»: {campaign.reports.count()} отчётов")
    year, half, deadline = _current_period(ctx.today)
    if not program.campaigns.filter(year=year, half=half).exists():
        start, end = services.period_bounds(year, half)
        campaign = Campaign(
            program=program,
            title=f"Мониторинг дорожной карты за {'I' * half} полугодие {year} г.",
            year=year,
            half=half,
            period_start=start,
            period_end=end,
            deadline=deadline,
        )
        forced = {
            (ParticipantKind.MUNICIPALITY, None): "partial",
            (ParticipantKind.REGION, None): "partial",
        }
        school_user = ctx.users.get("school")
        if school_user is not None and school_user.organization_id:
            forced[(ParticipantKind.ORGANIZATION, school_user.organization_id)] = "partial"
        weights = [
            ("empty", 0.2),
            ("partial", 0.25),
            ("submitted", 0.2),
            ("accepted", 0.2),
            ("late", 0.1),
            ("returned", 0.05),
        ]
        when = timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(12)))
        _build(ctx, program, campaign, weights, forced, when, (ctx.today - deadline).days)
        _waive_one(ctx, campaign)
        ctx.say(f"Кампания «{campaign.title}»: {campaign.reports.count()} отчётов")


def _waive_one(ctx: DemoContext, campaign: Campaign) -> None:
    """The operator released one school that had not started (so the grid shows a waiver)."""
    school_user = ctx.users.get("school")
    candidates = (
        campaign.reports.filter(kind=ParticipantKind.ORGANIZATION, items__status="")
        .exclude(items__status__gt="")
        .exclude(organization_id=getattr(school_user, "organization_id", None))
        .order_by("organization__name")
        .distinct()
    )
    report = candidates.first()
    if report is not None and report.organization is not None:
        Waiver.objects.create(
            campaign=campaign,
            organization=report.organization,
            reason="Реорганизация: школа присоединяется к другой образовательной организации",
            created_by=ctx.users.get("operator"),
        )


def _current_period(today: datetime.date) -> tuple[int, int, datetime.date]:
    """The last finished half-year, still being reported on, with its deadline already past.

    So the demo shows every state of a live campaign: not started, draft, submitted, accepted
    and late (open after the deadline, or handed in after it).
    """
    year, half = (today.year, 1) if today.month > 6 else (today.year - 1, 2)
    _start, end = services.period_bounds(year, half)
    deadline = min(end + datetime.timedelta(days=20), today - datetime.timedelta(days=7))
    return year, half, deadline
