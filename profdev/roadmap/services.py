"""Writes of the roadmap: campaigns, report items, the review workflow, waivers, reminders."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from profdev.accounts.choices import Role
from profdev.common.uploads import validate_evidence
from profdev.orgs.choices import OrganizationKind
from profdev.orgs.models import Municipality, Organization
from profdev.orgs.scoping import Action, Level, scope_of
from profdev.roadmap.choices import (
    EDITABLE_STATUSES,
    CampaignStatus,
    ItemStatus,
    ParticipantKind,
    ReportStatus,
)
from profdev.roadmap.models import (
    Activity,
    Campaign,
    Program,
    Reminder,
    Report,
    ReportItem,
    ReportTransition,
    ValidationRule,
    Waiver,
)


def _is_operator(user: Any) -> bool:
    scope = scope_of(user)
    return scope.role == Role.OPERATOR and scope.level in (Level.ALL, Level.REGION)


def _ensure_operator(user: Any, program: Program) -> None:
    if not Program.objects.for_user(user, Action.CHANGE).filter(pk=program.pk).exists():
        raise PermissionDenied(_("Это действие доступно только региональному оператору."))


def period_bounds(year: int, half: int | None) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a year or a half-year."""
    if half == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    if half == 2:
        return datetime.date(year, 7, 1), datetime.date(year, 12, 31)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _participants(program: Program) -> list[Report]:
    """Unsaved reports for everyone the program's activities reach."""
    activities = list(program.activities.all())
    reports: list[Report] = []
    if any(a.level_organization for a in activities):
        schools = Organization.objects.filter(
            region=program.region, kind=OrganizationKind.SCHOOL, is_active=True
        ).order_by("municipality__name", "name")
        reports += [
            Report(
                kind=ParticipantKind.ORGANIZATION, organization=s, municipality_id=s.municipality_id
            )
            for s in schools
        ]
    if any(a.level_municipal for a in activities):
        for municipality in Municipality.objects.filter(region=program.region).order_by("name"):
            reports.append(Report(kind=ParticipantKind.MUNICIPALITY, municipality=municipality))
    if any(a.level_regional for a in activities):
        reports.append(Report(kind=ParticipantKind.REGION))
    return reports


@transaction.atomic
def campaign_open(
    *,
    user: Any,
    program: Program,
    year: int,
    deadline: datetime.date,
    half: int | None = None,
    title: str = "",
) -> Campaign:
    """Open a campaign and create a report form for every participant in scope."""
    _ensure_operator(user, program)
    start, end = period_bounds(year, half)
    if not title:
        period = _("%(half)s полугодие %(year)s г.") % {"half": "I" * (half or 0), "year": year}
        if half is None:
            period = _("%(year)s год") % {"year": year}
        title = _("Мониторинг дорожной карты за %(period)s") % {"period": period}
    campaign = Campaign(
        program=program,
        title=title,
        year=year,
        half=half,
        period_start=start,
        period_end=end,
        deadline=deadline,
    )
    campaign.full_clean()
    campaign.save()
    reports = _participants(program)
    for report in reports:
        report.campaign = campaign
    reports = bulk_create_with_history(reports, Report, default_user=user)
    if not reports or reports[0].pk is None:  # SQLite before returning ids
        reports = list(campaign.reports.all())
    activities = list(program.activities.all())
    items = [
        ReportItem(report=report, activity=activity)
        for report in reports
        for activity in activities
        if activity.applies_to(report.kind)
    ]
    bulk_create_with_history(items, ReportItem, batch_size=2000, default_user=user)
    return campaign


@transaction.atomic
def campaign_close(*, user: Any, campaign: Campaign) -> Campaign:
    """Close a campaign: no report can be edited or submitted any more."""
    _ensure_operator(user, campaign.program)
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    return campaign


def edit_block_reason(report: Report) -> str | None:
    """Why the report cannot be edited by its author now, or None."""
    if report.campaign.status == CampaignStatus.CLOSED:
        return _("Кампания мониторинга закрыта: отчёт нельзя изменить.")
    if report.status == ReportStatus.SUBMITTED:
        return _("Отчёт отправлен на проверку и недоступен для редактирования.")
    if report.status == ReportStatus.ACCEPTED:
        return _("Отчёт принят и недоступен для редактирования.")
    return None


def is_author(user: Any, report: Report, *, in_scope: bool | None = None) -> bool:
    """The participant who fills the report: the school, the municipality or the operator.

    `in_scope`: True when the caller read the report through `for_user` already (saves the
    query that checks it)."""
    scope = scope_of(user)
    if report.kind == ParticipantKind.ORGANIZATION:
        return scope.level == Level.ORGANIZATION and scope.node_id == report.organization_id
    if report.kind == ParticipantKind.MUNICIPALITY:
        return (
            scope.role == Role.MUNICIPAL
            and scope.level == Level.MUNICIPALITY
            and scope.node_id == report.municipality_id
        )
    return _is_operator(user) and (in_scope or _in_scope(user, report))


def is_reviewer(user: Any, report: Report, *, in_scope: bool | None = None) -> bool:
    """School reports go to their municipality; municipal and regional ones to the operator
    (`in_scope` as for `is_author`)."""
    if not (in_scope or _in_scope(user, report)):
        return False
    scope = scope_of(user)
    if report.kind == ParticipantKind.ORGANIZATION:
        return (
            scope.role == Role.MUNICIPAL
            and scope.level == Level.MUNICIPALITY
            and scope.node_id == report.municipality_id
        )
    return _is_operator(user)


def _in_scope(user: Any, report: Report) -> bool:
    return Report.objects.for_user(user, Action.VIEW).filter(pk=report.pk).exists()


def _clean_figures(figures: dict[str, Any]) -> dict[str, float | int]:
    cleaned: dict[str, float | int] = {}
    for key, value in figures.items():
        if value in (None, ""):
            continue
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            raise ValidationError(
                {"figures": _("Показатель «%(key)s» должен быть числом.") % {"key": key}}
            ) from None
        if number < 0:
            raise ValidationError(
                {"figures": _("Показатель «%(key)s» не может быть отрицательным.") % {"key": key}}
            )
        cleaned[str(key)] = int(number) if number.is_integer() else number
    return cleaned


@transaction.atomic
def report_item_save(
    *,
    user: Any,
    item: ReportItem,
    status: str,
    description: str = "",
    figures: dict[str, Any] | None = None,
    evidence_link: str = "",
    evidence_file: UploadedFile | None = None,
) -> ReportItem:
    """Record the execution of one activity in a draft or returned report, by its author."""
    report = Report.objects.select_for_update().select_related("campaign").get(pk=item.report_id)
    if not _in_scope(user, report) or not is_author(user, report):
        raise PermissionDenied(_("Заполнять этот отчёт может только его автор."))
    reason = edit_block_reason(report)
    if reason:
        raise ValidationError(reason)
    if status not in ItemStatus.values:
        raise ValidationError({"status": _("Неизвестный статус исполнения.")})
    if evidence_file is not None:
        validate_evidence(evidence_file)
        item.evidence_file = evidence_file
    item.status = status
    item.description = description
    item.figures = _clean_figures(figures or {})
    item.evidence_link = evidence_link
    item.full_clean()
    item.save()
    return item


def figures_of(report: Report) -> dict[str, float]:
    """All figures of a report, summed by key over its items."""
    totals: dict[str, float] = {}
    for figures in report.items.values_list("figures", flat=True):
        for key, value in (figures or {}).items():
            if isinstance(value, int | float):
                totals[key] = totals.get(key, 0) + value
    return totals


def submit_problems(report: Report) -> list[str]:
    """Why the report cannot be submitted: empty required activities and broken rules."""
    problems: list[str] = []
    empty = report.items.filter(activity__required=True, status="").select_related("activity")
    numbers = [item.activity.number for item in empty]
    if numbers:
        problems.append(
            _("Не заполнены обязательные мероприятия: %(numbers)s.")
            % {"numbers": ", ".join(numbers)}
        )
    figures = figures_of(report)
    for rule in report.campaign.program.rules.all():
        if (
            rule.left in figures
            and rule.right in figures
            and not rule.holds(figures[rule.left], figures[rule.right])
        ):
            problems.append(
                _("%(message)s (%(left)s = %(lv)s, %(right)s = %(rv)s).")
                % {
                    "message": rule.message.rstrip("."),
                    "left": rule.left,
                    "lv": _fmt(figures[rule.left]),
                    "right": rule.right,
                    "rv": _fmt(figures[rule.right]),
                }
            )
    if report.kind == ParticipantKind.MUNICIPALITY:
        pending = schools_pending(report)
        if pending:
            problems.append(
                _(
                    "Не приняты отчёты школ: %(names)s. Муниципалитет отправляет свой отчёт, "
                    "когда все отчёты школ приняты или школы освобождены оператором."
                )
                % {"names": ", ".join(pending)}
            )
    return problems


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def schools_pending(report: Report) -> list[str]:
    """Names of the municipality's schools whose reports are neither accepted nor waived."""
    waived = Waiver.objects.filter(campaign_id=report.campaign_id).values("organization_id")
    pending = (
        Report.objects.filter(
            campaign_id=report.campaign_id,
            kind=ParticipantKind.ORGANIZATION,
            municipality=report.municipality,
        )
        .exclude(status=ReportStatus.ACCEPTED)
        .exclude(organization_id__in=waived)
        .select_related("organization")
    )
    return [str(r.organization) for r in pending]


def _transition(
    *,
    user: Any,
    report: Report,
    allowed_from: tuple[str, ...],
    to: str,
    comment: str = "",
    **fields: Any,
) -> Report:
    """Move a report to `to` exactly once, even when two people act at the same moment."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status not in allowed_from:
        raise ValidationError(
            _("Статус отчёта уже изменён другим пользователем: «%(status)s».")
            % {"status": locked.get_status_display()}
        )
    # The conditional UPDATE is the guard on databases without row locks (SQLite).
    updated = Report.objects.filter(pk=report.pk, status=locked.status).update(status=to, **fields)
    if updated != 1:
        raise ValidationError(_("Статус отчёта уже изменён другим пользователем."))
    ReportTransition.objects.create(
        report=locked, from_status=locked.status, to_status=to, user=user, comment=comment
    )
    locked.refresh_from_db()
    # simple_history does not see queryset updates; record the new state explicitly.
    locked.save(update_fields=["status"])
    report.status = locked.status
    return locked


@transaction.atomic
def report_submit(*, user: Any, report: Report) -> Report:
    """The author sends a filled report for review."""
    report = Report.objects.select_related("campaign__program").get(pk=report.pk)
    if not _in_scope(user, report) or not is_author(user, report):
        raise PermissionDenied(_("Отправить отчёт может только его автор."))
    reason = edit_block_reason(report)
    if reason:
        raise ValidationError(reason)
    problems = submit_problems(report)
    if problems:
        raise ValidationError(problems)
    return _transition(
        user=user,
        report=report,
        allowed_from=(ReportStatus.DRAFT, ReportStatus.RETURNED),
        to=ReportStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )


def _ensure_reviewer(user: Any, report: Report) -> None:
    if not _in_scope(user, report):
        raise PermissionDenied(_("Отчёт вне вашей зоны ответственности."))
    if not is_reviewer(user, report):
        if report.kind == ParticipantKind.ORGANIZATION:
            raise PermissionDenied(_("Отчёт школы проверяет координатор её муниципалитета."))
        raise PermissionDenied(_("Этот отчёт проверяет региональный оператор."))


@transaction.atomic
def report_accept(*, user: Any, report: Report, comment: str = "") -> Report:
    """The reviewer accepts a submitted report."""
    _ensure_reviewer(user, report)
    return _transition(
        user=user,
        report=report,
        allowed_from=(ReportStatus.SUBMITTED,),
        to=ReportStatus.ACCEPTED,
        comment=comment,
        reviewed_at=timezone.now(),
        review_comment=comment,
    )


@transaction.atomic
def report_return(*, user: Any, report: Report, comment: str) -> Report:
    """The reviewer returns a submitted report for rework, saying why."""
    _ensure_reviewer(user, report)
    if not comment.strip():
        raise ValidationError({"comment": _("Укажите, что нужно исправить в отчёте.")})
    return _transition(
        user=user,
        report=report,
        allowed_from=(ReportStatus.SUBMITTED,),
        to=ReportStatus.RETURNED,
        comment=comment,
        reviewed_at=timezone.now(),
        review_comment=comment,
    )


@transaction.atomic
def report_reopen(*, user: Any, report: Report, comment: str) -> Report:
    """Only the regional operator may reopen an accepted report (it goes back as returned)."""
    if not _is_operator(user) or not _in_scope(user, report):
        raise PermissionDenied(
            _("Открыть принятый отчёт заново может только региональный оператор.")
        )
    if not comment.strip():
        raise ValidationError(
            {"comment": _("Укажите причину, по которой отчёт открывается заново.")}
        )
    return _transition(
        user=user,
        report=report,
        allowed_from=(ReportStatus.ACCEPTED,),
        to=ReportStatus.RETURNED,
        comment=comment,
        review_comment=comment,
    )


@transaction.atomic
def waiver_create(
    *, user: Any, campaign: Campaign, organization: Organization, reason: str
) -> Waiver:
    """The operator releases a school from reporting in a campaign."""
    _ensure_operator(user, campaign.program)
    if not reason.strip():
        raise ValidationError({"reason": _("Укажите причину освобождения.")})
    waiver = Waiver(campaign=campaign, organization=organization, reason=reason, created_by=user)
    waiver.full_clean()
    waiver.save()
    return waiver


def late_reports(campaign: Campaign, today: datetime.date | None = None) -> list[Report]:
    """Reports not yet submitted (or accepted) after the deadline, waived schools excluded."""
    today = today or timezone.localdate()
    if today <= campaign.deadline:
        return []
    waived = campaign.waivers.values("organization_id")
    return list(
        campaign.reports.filter(status__in=list(EDITABLE_STATUSES))
        .exclude(kind=ParticipantKind.ORGANIZATION, organization_id__in=waived)
        .select_related("organization", "municipality")
    )


def _recipients(report: Report) -> list[str]:
    from profdev.accounts.models import User

    users = User.objects.filter(is_active=True).exclude(email="")
    if report.kind == ParticipantKind.ORGANIZATION:
        users = users.filter(role=Role.SCHOOL, organization=report.organization)
    elif report.kind == ParticipantKind.MUNICIPALITY:
        users = users.filter(role=Role.MUNICIPAL, municipality=report.municipality)
    else:
        users = users.filter(role=Role.OPERATOR, region_id=report.campaign.program.region_id)
    return sorted(set(users.values_list("email", flat=True)))


def reminders_send(*, user: Any, campaign: Campaign, today: datetime.date | None = None) -> int:
    """Remind every late participant by e-mail (after commit) and with a notice on the report."""
    _ensure_operator(user, campaign.program)
    count = 0
    for report in late_reports(campaign, today):
        recipients = _recipients(report)
        with transaction.atomic():
            Reminder.objects.create(report=report, sent_by=user, recipients=", ".join(recipients))
        if recipients:
            subject = _("Напоминание: отчёт по дорожной карте — %(campaign)s") % {
                "campaign": campaign.title
            }
            body = _(
                "Срок сдачи отчёта «%(report)s» истёк %(deadline)s. Статус: %(status)s. "
                "Пожалуйста, заполните и отправьте отчёт."
            ) % {
                "report": report.participant_name,
                "deadline": campaign.deadline.strftime("%d.%m.%Y"),
                "status": report.get_status_display(),
            }
            send_mail(subject, body, None, recipients, fail_silently=True)
        count += 1
    return count


@transaction.atomic
def activity_save(*, user: Any, activity: Activity) -> Activity:
    """Create or edit a roadmap activity (operator)."""
    _ensure_operator(user, activity.program)
    activity.sort_key = Activity.make_sort_key(activity.number)
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def validation_rule_save(*, user: Any, rule: ValidationRule) -> ValidationRule:
    """Create or edit a check on reported figures (operator); it applies from the next submit."""
    _ensure_operator(user, rule.program)
    if rule.pk:
        stored = ValidationRule.objects.select_related("program").get(pk=rule.pk)
        _ensure_operator(user, stored.program)
    rule.left = rule.left.strip()
    rule.right = rule.right.strip()
    rule.message = rule.message.strip()
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def validation_rule_delete(*, user: Any, rule: ValidationRule) -> None:
    """Remove a check (operator); reports already accepted stay as they are."""
    _ensure_operator(user, rule.program)
    rule.delete()
