"""Background generation of documents (eager when no broker is configured)."""

import logging
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from profdev.reports.models import GeneratedReport, GenerationStatus
from profdev.reports.roadmap_report import build, build_all
from profdev.roadmap.models import Campaign

logger = logging.getLogger(__name__)


@shared_task
def roadmap_report_task(campaign_id: int, out: str) -> str:
    """Build the analytical report of a campaign into `out` (.docx, .xlsx or .pdf)."""
    return str(build(Campaign.objects.get(pk=campaign_id), Path(out)))


@shared_task
def generated_report_task(report_id: int) -> str:
    """Build the DOCX, XLSX and PDF of a requested report, recording progress and any error."""
    report = GeneratedReport.objects.select_related("campaign__program__region").get(pk=report_id)
    rows = GeneratedReport.objects.filter(pk=report.pk)
    rows.update(status=GenerationStatus.RUNNING, progress=0)
    campaign = report.campaign
    relative = Path("roadmap") / str(report.pk)
    stem = f"analytical-report-{campaign.year}" + (f"-h{campaign.half}" if campaign.half else "")

    def progress(percent: int) -> None:
        rows.update(progress=percent)

    try:
        directory = Path(settings.REPORTS_ROOT) / relative
        directory.mkdir(parents=True, exist_ok=True)
        files = build_all(campaign, directory, stem, progress=progress)
    except Exception as error:  # the page must say what went wrong rather than spin forever
        logger.exception("analytical report %s failed", report.pk)
        report.status = GenerationStatus.FAILED
        report.error = _("Не удалось сформировать отчёт: %(error)s") % {"error": error}
    else:
        report.status = GenerationStatus.DONE
        report.error = ""
        for suffix, path in files.items():
            getattr(report, suffix.lstrip(".")).name = str(relative / path.name)
    report.progress = 100
    report.finished_at = timezone.now()
    report.save()
    return report.status
