"""Writes of the reports app: ask for a campaign's analytical report to be generated."""

import datetime
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from profdev.orgs.scoping import Action, scope_of
from profdev.reports.models import GeneratedReport, GenerationStatus
from profdev.roadmap.models import Campaign, Program

# A generation still "running" after this long lost its worker; a new one may start.
STALE_AFTER = datetime.timedelta(minutes=30)


def can_generate(user: Any, campaign: Campaign) -> bool:
    """Only the operator of the campaign's region builds the regional report."""
    return (
        GeneratedReport.scope_filter(scope_of(user), Action.CHANGE) is not None
        and Program.objects.for_user(user, Action.CHANGE).filter(pk=campaign.program_id).exists()
    )


@transaction.atomic
def generated_report_request(*, user: Any, campaign: Campaign) -> GeneratedReport:
    """Queue a new generation (started after commit), or return the one already under way."""
    if not can_generate(user, campaign):
        raise PermissionDenied(
            _("Формировать аналитический отчёт может только региональный оператор.")
        )
    # Two clicks at once queue one generation: the campaign row serialises the check.
    list(Campaign.objects.select_for_update().filter(pk=campaign.pk))
    running = (
        GeneratedReport.objects.filter(
            campaign=campaign,
            status__in=[GenerationStatus.PENDING, GenerationStatus.RUNNING],
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-created_at")
        .first()
    )
    if running is not None:
        return running
    report = GeneratedReport.objects.create(campaign=campaign, requested_by=user)
    from profdev.reports.tasks import generated_report_task

    transaction.on_commit(partial(generated_report_task.delay, report.pk))
    return report
