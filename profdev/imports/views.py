"""Pages under /imports/: upload, job progress and summary, templates and rejected rows."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from profdev.accounts.choices import Role
from profdev.imports.forms import UploadForm
from profdev.imports.kinds import get_kind
from profdev.imports.kinds.base import ImportContext, all_kinds
from profdev.imports.models import ImportJob, JobStatus
from profdev.imports.services import format_summary, snils_export_record
from profdev.imports.tasks import run_import_job
from profdev.imports.workbooks import file_response, write_rejected, write_template
from profdev.orgs.scoping import Action, scope_of

IMPORT_ROLES = frozenset({Role.OPERATOR, Role.METHODIST, Role.MUNICIPAL, Role.SCHOOL})


def _check_role(request: HttpRequest) -> None:
    if scope_of(request.user).role not in IMPORT_ROLES:
        raise PermissionDenied(_("Загрузка данных доступна операторам и координаторам."))


def _job(request: HttpRequest, pk: int) -> ImportJob:
    _check_role(request)
    return get_object_or_404(ImportJob.objects.for_user(request.user, Action.VIEW), pk=pk)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Upload form, templates and the user's recent jobs."""
    _check_role(request)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            user=request.user,  # type: ignore[misc]
            kind=form.cleaned_data["kind"],
            file=upload,
            original_name=upload.name[:255],
            organization=form.cleaned_data["organization"],
            block_on_rejected=form.cleaned_data["block_on_rejected"],
            dry_run=True,
        )
        run_import_job.delay(job.pk)
        return redirect(job)
    jobs = ImportJob.objects.for_user(request.user, Action.VIEW).select_related("user")[:20]
    return render(
        request,
        "imports/index.html",
        {"title": _("Импорт данных"), "form": form, "jobs": jobs, "kinds": all_kinds()},
    )


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress (polled by htmx while running) and its summary."""
    job = _job(request, pk)
    context = {
        "title": _("Загрузка «%(name)s»") % {"name": job.original_name},
        "job": job,
        "summary": job.summary,
        "summary_text": format_summary(job.summary) if job.summary else "",
        "rejected_preview": job.summary.get("rejected_rows", [])[:200],
        "can_commit": job.is_finished
        and job.dry_run
        and job.user_id == request.user.pk
        and not job.summary.get("error"),
    }
    if getattr(request, "htmx", False):
        return render(request, "imports/_job_status.html", context)
    return render(request, "imports/job_detail.html", context)


@login_required
@require_POST
def job_commit(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply the checked file: all valid rows in one transaction, or nothing."""
    job = _job(request, pk)
    if job.user_id != request.user.pk:
        raise PermissionDenied(_("Загрузить файл может только тот, кто его проверял."))
    if not job.dry_run or not job.is_finished:
        return redirect(job)
    job.dry_run = False
    job.status = JobStatus.PENDING
    job.progress = 0
    job.block_on_rejected = request.POST.get("block_on_rejected") == "on" or job.block_on_rejected
    job.save(update_fields=["dry_run", "status", "progress", "block_on_rejected"])
    run_import_job.delay(job.pk)
    return redirect(job)


@login_required
def job_rejected(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The rejected rows with a reason column, ready to fix and upload again."""
    job = _job(request, pk)
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    return file_response(
        f"rejected-{job.kind}-{stamp}.xlsx", lambda path: write_rejected(path, job.summary)
    )


def _kind_or_404(key: str) -> Any:
    try:
        return get_kind(key)
    except KeyError:
        raise Http404(_("Неизвестный вид импорта.")) from None


@login_required
def template_download(request: HttpRequest, kind: str) -> HttpResponseBase:
    """An empty template: Russian headers, an example row, drop-down lists."""
    _check_role(request)
    import_kind = _kind_or_404(kind)
    return file_response(
        f"template-{import_kind.key}.xlsx", lambda path: write_template(path, import_kind)
    )


@login_required
def export_kind(request: HttpRequest, kind: str) -> HttpResponseBase:
    """The records the user may change, in the template's layout, ready to edit and re-import.

    Unlike the lists (SNILS masked) it carries full SNILS, so only records the user may change
    are in it and every teacher whose SNILS it carries is logged as a personal-data access.
    """
    _check_role(request)
    import_kind = _kind_or_404(kind)
    data = import_kind.export_rows(ImportContext(user=request.user, scope=scope_of(request.user)))
    if data is None:
        raise Http404(_("Для этого вида данных выгрузки нет."))
    snils_export_record(user=request.user, teacher_ids=data.teacher_ids)
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    return file_response(
        f"{import_kind.key}-{stamp}.xlsx",
        lambda path: write_template(path, import_kind, data.rows),
    )
