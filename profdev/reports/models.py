"""Generated documents: the analytical report of a campaign, built in the background."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from profdev.accounts.choices import Role
from profdev.orgs.scoping import ScopedManager, ScopedModel, ScopePaths
from profdev.roadmap.models import Campaign


def report_storage() -> FileSystemStorage:
    """Files under REPORTS_ROOT, outside the web root; no URL: only the download view serves them."""
    return FileSystemStorage(location=settings.REPORTS_ROOT, base_url=None)


class GenerationStatus(models.TextChoices):
    PENDING = "pending", _("В очереди")
    RUNNING = "running", _("Формируется")
    DONE = "done", _("Готов")
    FAILED = "failed", _("Ошибка")


class GeneratedReport(ScopedModel):
    """One generation of a campaign's analytical report: status, progress and the three files."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="generated_reports",
        verbose_name=_("кампания"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто запросил"),
    )
    status = models.CharField(
        _("состояние"),
        max_length=10,
        choices=GenerationStatus.choices,
        default=GenerationStatus.PENDING,
    )
    progress = models.PositiveSmallIntegerField(_("выполнено, %"), default=0)
    error = models.TextField(_("ошибка"), blank=True)
    docx = models.FileField(_("DOCX"), storage=report_storage, max_length=300, blank=True)
    xlsx = models.FileField(_("XLSX"), storage=report_storage, max_length=300, blank=True)
    pdf = models.FileField(_("PDF"), storage=report_storage, max_length=300, blank=True)
    created_at = models.DateTimeField(_("запрошен"), auto_now_add=True)
    finished_at = models.DateTimeField(_("завершён"), null=True, blank=True)

    # A regional document: the operator and the department's officials, nobody below the region.
    scope_paths = ScopePaths(region="campaign__program__region")
    scope_view_roles = frozenset({Role.OPERATOR, Role.OFFICIAL})
    scope_write_roles = frozenset({Role.OPERATOR})

    objects = ScopedManager()
    history = HistoricalRecords(excluded_fields=["progress"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("аналитический отчёт")
        verbose_name_plural = _("аналитические отчёты")

    def __str__(self) -> str:
        return f"{self.campaign} ({self.created_at:%d.%m.%Y %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("reports:campaign", args=[self.campaign_id])

    @property
    def is_finished(self) -> bool:
        return self.status in (GenerationStatus.DONE, GenerationStatus.FAILED)

    def files(self) -> list[tuple[str, str]]:
        """(format, label) of the files that exist, for the download links."""
        return [(fmt, fmt.upper()) for fmt in ("docx", "xlsx", "pdf") if getattr(self, fmt).name]
