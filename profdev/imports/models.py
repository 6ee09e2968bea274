"""Import jobs: an uploaded file, what was asked of it and what came out."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from profdev.accounts.choices import Role
from profdev.orgs.models import Organization
from profdev.orgs.scoping import ScopedManager, ScopedModel, ScopePaths


class JobStatus(models.TextChoices):
    PENDING = "pending", _("В очереди")
    RUNNING = "running", _("Выполняется")
    DONE = "done", _("Готово")
    FAILED = "failed", _("Ошибка")


class ImportJob(ScopedModel):
    """One upload: checked first (dry run), then committed on the user's request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("пользователь"),
    )
    kind = models.CharField(_("вид данных"), max_length=32)
    file = models.FileField(_("файл"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("имя файла"), max_length=255)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("организация по умолчанию"),
    )
    block_on_rejected = models.BooleanField(_("не загружать при ошибках"), default=False)
    dry_run = models.BooleanField(_("только проверка"), default=True)
    status = models.CharField(
        _("состояние"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("выполнено, %"), default=0)
    summary = models.JSONField(_("итог"), default=dict, blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)

    scope_paths = ScopePaths(
        region="user__region",
        municipality="user__municipality",
        organization="user__organization",
        person="user__teacher",
    )
    scope_view_roles = frozenset({Role.OPERATOR, Role.MUNICIPAL, Role.SCHOOL})
    scope_write_roles = frozenset({Role.OPERATOR, Role.MUNICIPAL, Role.SCHOOL})

    objects = ScopedManager()
    history = HistoricalRecords(excluded_fields=["progress"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("загрузка данных")
        verbose_name_plural = _("загрузки данных")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%d.%m.%Y %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("imports:job-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
