"""Pages of the analytical report: list, start a generation, progress fragment, downloads."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from profdev.orgs.scoping import Action, scope_of
from profdev.reports import selectors, services
from profdev.reports.models import GeneratedReport
from profdev.roadmap.models import Campaign

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    """The campaign if visible (404 otherwise) and the user may read its regional report (403)."""
    campaign = get_object_or_404(
        Campaign.objects.for_user(request.user).select_related("program"), pk=pk
    )
    if GeneratedReport.scope_filter(scope_of(request.user), Action.VIEW) is None:
        raise PermissionDenied(
            _("Аналитический отчёт доступен региональному оператору и специалистам Департамента.")
        )
    return campaign


def _generated(request: HttpRequest, pk: int) -> GeneratedReport:
    return get_object_or_404(
        GeneratedReport.objects.for_user(request.user).select_related("campaign"), pk=pk
    )


@login_required
def campaign_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's generated reports; the operator starts a new one here."""
    campaign = _campaign(request, pk)
    reports = list(selectors.generated_reports(user=request.user, campaign=campaign)[:20])
    return render(
        request,
        "reports/campaign_reports.html",
        {
            "title": _("Аналитический отчёт: %(campaign)s") % {"campaign": campaign.title},
            "campaign": campaign,
            "reports": reports,
            "current": reports[0] if reports else None,
            "can_generate": services.can_generate(request.user, campaign),
        },
    )


@login_required
@require_POST
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a generation (eager without a broker) and go back to the page that shows progress."""
    campaign = _campaign(request, pk)
    report = services.generated_report_request(user=request.user, campaign=campaign)
    report.refresh_from_db()  # without a broker the task has already run
    if report.is_finished:
        messages.info(request, _("Отчёт сформирован."))
    else:
        messages.info(request, _("Отчёт формируется; страница покажет ход работы."))
    return redirect("reports:campaign", pk=campaign.pk)


@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment, polled by htmx until the generation finishes."""
    report = _generated(request, pk)
    return render(request, "reports/_status.html", {"current": report})


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """One file of a generated report, only to users who may see it."""
    report = _generated(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404(_("Неизвестный формат."))
    field: Any = getattr(report, fmt)
    if not field.name or not field.storage.exists(field.name):
        raise Http404(_("Файл отчёта не найден: сформируйте отчёт заново."))
    campaign = report.campaign
    filename = f"analytical-report-{campaign.year}" + (
        f"-h{campaign.half}" if campaign.half else ""
    )
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=f"{filename}-{report.created_at:%Y-%m-%d}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
