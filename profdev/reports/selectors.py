"""Reads of the reports app: a campaign's generated analytical reports the user may see."""

from typing import Any

from django.db.models import QuerySet

from profdev.orgs.scoping import Action
from profdev.reports.models import GeneratedReport
from profdev.roadmap.models import Campaign


def generated_reports(*, user: Any, campaign: Campaign) -> QuerySet[GeneratedReport]:
    """Newest first, with who asked for them."""
    return (
        GeneratedReport.objects.for_user(user, Action.VIEW)
        .filter(campaign=campaign)
        .select_related("requested_by")
    )
