"""Program and roadmap, monitoring campaigns, participants' reports and their review."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from profdev.accounts.choices import Role
from profdev.orgs.models import Municipality, Organization, Region
from profdev.orgs.scoping import ScopedManager, ScopedModel, ScopePaths
from profdev.roadmap.choices import (
    CampaignStatus,
    Comparison,
    IndicatorCode,
    ItemStatus,
    ParticipantKind,
    ReportStatus,
)

# The key of a reported figure, as schools write it: "pairs", "teachers", "trained_2".
FIGURE_KEY = re.compile(r"[a-z][a-z0-9_]{0,49}")
REVIEW_ROLES = frozenset({Role.OPERATOR, Role.OFFICIAL, Role.MUNICIPAL, Role.SCHOOL})
REPORT_WRITE_ROLES = frozenset({Role.OPERATOR, Role.MUNICIPAL, Role.SCHOOL})


def _region_paths(prefix: str) -> ScopePaths:
    """Program-wide records: everyone in the region sees them."""
    return ScopePaths(
        region=f"{prefix}region",
        municipality=lambda node: Q(**{f"{prefix}region__municipalities": node}),
        organization=lambda node: Q(**{f"{prefix}region__organizations": node}),
    )


class Program(ScopedModel):
    """A regional target program (e.g. mentorship 2020–2024) approved by an order."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="roadmap_programs", verbose_name=_("регион")
    )
    title = models.CharField(_("название"), max_length=500)
    start_year = models.PositiveIntegerField(
        _("год начала"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveIntegerField(
        _("год окончания"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    order_number = models.CharField(_("номер распоряжения"), max_length=50, blank=True)
    order_date = models.DateField(_("дата распоряжения"), null=True, blank=True)
    goals = models.TextField(_("цели и задачи"), blank=True)

    scope_paths = _region_paths("")
    scope_view_roles = REVIEW_ROLES

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name = _("программа")
        verbose_name_plural = _("программы")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "title"],
                name="roadmap_program_unique_title",
                violation_error_message=_("Программа с таким названием уже есть в регионе."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"

    def get_absolute_url(self) -> str:
        return reverse("roadmap:program-detail", args=[self.pk])

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("Год окончания программы раньше года её начала.")})


class Activity(ScopedModel):
    """An activity of the roadmap with its levels of execution."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="activities", verbose_name=_("программа")
    )
    number = models.CharField(_("номер"), max_length=20, help_text=_("Например, 2.3"))
    section = models.CharField(_("раздел"), max_length=300, blank=True)
    title = models.TextField(_("мероприятие"))
    level_regional = models.BooleanField(_("региональный уровень"), default=False)
    level_municipal = models.BooleanField(_("муниципальный уровень"), default=False)
    level_organization = models.BooleanField(_("уровень ОО"), default=False)
    responsible = models.CharField(_("ответственные"), max_length=500, blank=True)
    deadline = models.DateField(_("срок"), null=True, blank=True)
    period = models.CharField(
        _("период"), max_length=100, blank=True, help_text=_("Например, «ежегодно»")
    )
    expected_result = models.TextField(_("ожидаемый результат"), blank=True)
    evidence_form = models.CharField(_("форма подтверждения"), max_length=300, blank=True)
    indicator_code = models.CharField(
        _("показатель"), max_length=1, choices=IndicatorCode.choices, blank=True
    )
    required = models.BooleanField(_("обязательно для отчёта"), default=True)
    sort_key = models.CharField(max_length=40, editable=False, default="")

    scope_paths = _region_paths("program__")
    scope_view_roles = REVIEW_ROLES

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "sort_key"]
        verbose_name = _("мероприятие дорожной карты")
        verbose_name_plural = _("мероприятия дорожной карты")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "number"],
                name="roadmap_activity_unique_number",
                violation_error_message=_("Мероприятие с таким номером уже есть в программе."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @staticmethod
    def make_sort_key(number: str) -> str:
        """'2.10' sorts after '2.9'."""
        return ".".join(part.zfill(4) for part in number.split("."))

    def levels_display(self) -> str:
        levels = []
        if self.level_regional:
            levels.append(str(_("региональный")))
        if self.level_municipal:
            levels.append(str(_("муниципальный")))
        if self.level_organization:
            levels.append(str(_("ОО")))
        return ", ".join(levels)

    def applies_to(self, kind: str) -> bool:
        return {
            ParticipantKind.ORGANIZATION: self.level_organization,
            ParticipantKind.MUNICIPALITY: self.level_municipal,
            ParticipantKind.REGION: self.level_regional,
        }[ParticipantKind(kind)]

    def clean(self) -> None:
        if not (self.level_regional or self.level_municipal or self.level_organization):
            raise ValidationError(_("Укажите хотя бы один уровень исполнения мероприятия."))
        if self.number and not all(p.isdigit() for p in self.number.split(".")):
            raise ValidationError(
                {"number": _("Номер мероприятия — числа через точку, например 2.3.")}
            )


class ValidationRule(ScopedModel):
    """An operator-defined check on reported figures: left ≤ right (or <, ≥, =)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="rules", verbose_name=_("программа")
    )
    left = models.CharField(_("показатель слева"), max_length=50)
    comparison = models.CharField(
        _("сравнение"), max_length=2, choices=Comparison.choices, default=Comparison.LE
    )
    right = models.CharField(_("показатель справа"), max_length=50)
    message = models.CharField(_("сообщение"), max_length=300)

    scope_paths = _region_paths("program__")
    scope_view_roles = REVIEW_ROLES

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "pk"]
        verbose_name = _("правило проверки")
        verbose_name_plural = _("правила проверки")

    def __str__(self) -> str:
        return f"{self.left} {self.get_comparison_display()} {self.right}"

    def get_absolute_url(self) -> str:
        return reverse("roadmap:rule-list") + f"?program={self.program_id}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for name in ("left", "right"):
            value = getattr(self, name)
            if value and not FIGURE_KEY.fullmatch(value):
                errors[name] = _(
                    "«%(value)s» — не имя показателя: латинские строчные буквы, цифры и «_», "
                    "начиная с буквы, как в отчётах (pairs, teachers)."
                ) % {"value": value}
        if not errors and self.left and self.left == self.right:
            errors["right"] = _("Сравнивать показатель с самим собой бессмысленно.")
        if errors:
            raise ValidationError(errors)

    def holds(self, left: float, right: float) -> bool:
        return {
            Comparison.LE: left <= right,
            Comparison.LT: left < right,
            Comparison.GE: left >= right,
            Comparison.EQ: left == right,
        }[Comparison(self.comparison)]


class Campaign(ScopedModel):
    """A monitoring campaign of a program for a year or a half-year, with a deadline."""

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("программа")
    )
    title = models.CharField(_("название"), max_length=300)
    year = models.PositiveIntegerField(_("год"))
    half = models.PositiveSmallIntegerField(
        _("полугодие"),
        null=True,
        blank=True,
        choices=[(1, _("I полугодие")), (2, _("II полугодие"))],
    )
    period_start = models.DateField(_("начало периода"))
    period_end = models.DateField(_("конец периода"))
    deadline = models.DateField(_("срок сдачи отчётов"))
    status = models.CharField(
        _("статус"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)

    scope_paths = _region_paths("program__")
    scope_view_roles = REVIEW_ROLES

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("кампания мониторинга")
        verbose_name_plural = _("кампании мониторинга")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "half"],
                condition=Q(half__isnull=False),
                name="roadmap_campaign_unique_half",
                violation_error_message=_("Кампания за этот период уже открыта."),
            ),
            models.UniqueConstraint(
                fields=["program", "year"],
                condition=Q(half__isnull=True),
                name="roadmap_campaign_unique_year",
                violation_error_message=_("Кампания за этот период уже открыта."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("period_start")),
                name="roadmap_campaign_deadline_after_start",
                violation_error_message=_("Срок сдачи отчётов раньше начала отчётного периода."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmap:campaign-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN

    def clean(self) -> None:
        if self.deadline and self.period_start and self.deadline < self.period_start:
            raise ValidationError(
                {"deadline": _("Срок сдачи отчётов раньше начала отчётного периода.")}
            )


class Report(ScopedModel):
    """One participant's report in a campaign: a school, a municipality or the operator."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="reports", verbose_name=_("кампания")
    )
    kind = models.CharField(_("участник"), max_length=16, choices=ParticipantKind.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmap_reports",
        verbose_name=_("организация"),
    )
    # Set for school reports too (the school's municipality), so one lookup scopes both.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmap_reports",
        verbose_name=_("муниципалитет"),
    )
    status = models.CharField(
        _("статус"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("отправлен"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("проверен"), null=True, blank=True)
    review_comment = models.TextField(_("комментарий проверяющего"), blank=True)

    scope_paths = ScopePaths(
        region="campaign__program__region",
        municipality="municipality",
        organization="organization",
    )
    scope_view_roles = REVIEW_ROLES
    scope_write_roles = REPORT_WRITE_ROLES

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "kind", "municipality__name", "organization__name"]
        verbose_name = _("отчёт")
        verbose_name_plural = _("отчёты")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"],
                condition=Q(kind=ParticipantKind.ORGANIZATION),
                name="roadmap_report_unique_organization",
                violation_error_message=_("У этой организации уже есть отчёт в кампании."),
            ),
            models.UniqueConstraint(
                fields=["campaign", "municipality"],
                condition=Q(kind=ParticipantKind.MUNICIPALITY),
                name="roadmap_report_unique_municipality",
                violation_error_message=_("У этого муниципалитета уже есть отчёт в кампании."),
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(kind=ParticipantKind.REGION),
                name="roadmap_report_unique_region",
                violation_error_message=_("Отчёт регионального оператора уже есть в кампании."),
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.participant_name} — {self.campaign}"

    def get_absolute_url(self) -> str:
        return reverse("roadmap:report-detail", args=[self.pk])

    @property
    def participant_name(self) -> str:
        if self.kind == ParticipantKind.ORGANIZATION:
            return str(self.organization)
        if self.kind == ParticipantKind.MUNICIPALITY:
            return str(self.municipality)
        return str(_("Региональный оператор"))


class ReportItem(ScopedModel):
    """What a participant reports on one activity: status, description, figures, evidence."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="items", verbose_name=_("отчёт")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="report_items",
        verbose_name=_("мероприятие"),
    )
    status = models.CharField(
        _("исполнение"), max_length=16, choices=ItemStatus.choices, blank=True, default=""
    )
    description = models.TextField(_("описание"), blank=True)
    figures = models.JSONField(_("показатели"), default=dict, blank=True)
    evidence_link = models.URLField(_("ссылка на подтверждение"), blank=True, max_length=500)
    evidence_file = models.FileField(
        _("файл подтверждения"), upload_to="roadmap/evidence/%Y/", blank=True
    )
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    scope_paths = ScopePaths(
        region="report__campaign__program__region",
        municipality="report__municipality",
        organization="report__organization",
    )
    scope_view_roles = REVIEW_ROLES
    scope_write_roles = REPORT_WRITE_ROLES

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "activity__sort_key"]
        verbose_name = _("пункт отчёта")
        verbose_name_plural = _("пункты отчёта")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "activity"],
                name="roadmap_item_unique_activity",
                violation_error_message=_("Мероприятие уже есть в отчёте."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity.number}: {self.get_status_display()}"

    @property
    def is_filled(self) -> bool:
        return bool(self.status)


class ReportTransition(ScopedModel):
    """Every change of a report's status: from, to, who, when and the comment."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("отчёт")
    )
    from_status = models.CharField(_("было"), max_length=10, choices=ReportStatus.choices)
    to_status = models.CharField(_("стало"), max_length=10, choices=ReportStatus.choices)
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("пользователь"),
    )
    at = models.DateTimeField(_("когда"), auto_now_add=True)
    comment = models.TextField(_("комментарий"), blank=True)

    scope_paths = ScopePaths(
        region="report__campaign__program__region",
        municipality="report__municipality",
        organization="report__organization",
    )
    scope_view_roles = REVIEW_ROLES

    objects = ScopedManager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("переход статуса отчёта")
        verbose_name_plural = _("история статусов отчётов")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Waiver(ScopedModel):
    """The operator releases a school from a campaign's reporting, with a reason."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="waivers", verbose_name=_("кампания")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("организация")
    )
    reason = models.TextField(_("причина"))
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = ScopePaths(
        region="campaign__program__region",
        municipality="organization__municipality",
        organization="organization",
    )
    scope_view_roles = REVIEW_ROLES

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("освобождение от отчёта")
        verbose_name_plural = _("освобождения от отчёта")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"],
                name="roadmap_waiver_unique",
                violation_error_message=_("Организация уже освобождена от отчёта в этой кампании."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.reason}"


class Reminder(ScopedModel):
    """A reminder sent to a late participant; shown as a notice on the report page."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("отчёт")
    )
    sent_at = models.DateTimeField(_("отправлено"), auto_now_add=True)
    sent_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recipients = models.TextField(_("адресаты"), blank=True)

    scope_paths = ScopePaths(
        region="report__campaign__program__region",
        municipality="report__municipality",
        organization="report__organization",
    )
    scope_view_roles = REVIEW_ROLES

    objects = ScopedManager()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("напоминание")
        verbose_name_plural = _("напоминания")

    def __str__(self) -> str:
        return f"{self.report} ({self.sent_at:%d.%m.%Y})"
