"""The import runs in Celery (eagerly, in the request, when no broker is configured)."""

from typing import Any

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from profdev.imports.models import ImportJob, JobStatus
from profdev.imports.services import import_run


@shared_task
def run_import_job(job_id: int) -> dict[str, Any]:
    """Check or commit an uploaded file and store the summary on the job."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    # Saves, not queryset updates, so that the audit trail (simple-history) sees every write.
    job.status = JobStatus.RUNNING
    job.progress = 0
    job.save(update_fields=["status", "progress"])

    def progress(done: int, total: int) -> None:
        percent = min(99, int(done * 100 / total)) if total else 0
        if percent != job.progress:
            job.progress = percent
            job.save(update_fields=["progress"])

    try:
        summary = import_run(
            user=job.user,
            kind=job.kind,
            path=job.file.path,
            filename=job.original_name,
            commit=not job.dry_run,
            organization_id=job.organization_id,
            block_on_rejected=job.block_on_rejected,
            progress=progress,
        )
        status = JobStatus.FAILED if summary["error"] else JobStatus.DONE
    except Exception as error:  # the page must show something rather than spin forever
        summary = {
            "error": _("Внутренняя ошибка при загрузке: %(error)s") % {"error": error},
            "dry_run": job.dry_run,
        }
        status = JobStatus.FAILED
    job.refresh_from_db()
    job.summary = summary
    job.status = status
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["summary", "status", "progress", "finished_at"])
    return summary
