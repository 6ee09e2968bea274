"""Background generation of documents (eager when no broker is configured)."""

from pathlib import Path

from celery import shared_task

from profdev.reports.roadmap_report import build
from profdev.roadmap.models import Campaign


@shared_task
def roadmap_report_task(campaign_id: int, out: str) -> str:
    """Build the analytical report of a campaign into `out` (.docx or .xlsx)."""
    return str(build(Campaign.objects.get(pk=campaign_id), Path(out)))
