"""The Center's work with teachers: diagnostics, routes (ИОМ), programs, cohorts, enrollments."""

from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from profdev.accounts.choices import Role
from profdev.orgs.models import Region
from profdev.orgs.scoping import ScopedManager, ScopedModel, ScopePaths
from profdev.people.models import (
    CenterStaff,
    Teacher,
    teacher_scope_paths,
)

from .choices import (
    EnrollmentStatus,
    ProgramAudience,
    ProgramFormat,
    ProgramProvider,
    RouteStatus,
    StepKind,
    StepStatus,
)

CENTER_ROLES = frozenset({Role.OPERATOR, Role.METHODIST})


def default_deficit_threshold() -> Decimal:
    return Decimal(str(getattr(settings, "PROFDEV_DEFICIT_THRESHOLD", 60)))


def _catalogue_region(region: str, via: str = "") -> Callable[[int], Q]:
    """Catalogue records of the node's region, or shared by all regions when none is set.

    `via` leads from the region to the node (municipalities, organizations).
    """

    def condition(node_id: int) -> Q:
        target = f"{region}__{via}" if via else region
        return Q(**{f"{region}__isnull": True}) | Q(**{target: node_id})

    return condition


class CompetenceArea(models.Model):
    """An area of professional competence scored by diagnostics (предметная, цифровая, …)."""

    code = models.SlugField(_("код"), max_length=40, unique=True)
    name = models.CharField(_("название"), max_length=200, unique=True)
    threshold = models.DecimalField(
        _("порог дефицита"),
        max_digits=5,
        decimal_places=1,
        default=default_deficit_threshold,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Балл ниже порога (из 100) означает профессиональный дефицит."),
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("область компетенций")
        verbose_name_plural = _("области компетенций")

    def __str__(self) -> str:
        return self.name


class Program(ScopedModel):
    """An additional professional program of qualification upgrade (ДПП ПК)."""

    title = models.CharField(_("название"), max_length=500)
    hours = models.PositiveIntegerField(_("объём, часов"))
    format = models.CharField(
        _("форма обучения"),
        max_length=16,
        choices=ProgramFormat.choices,
        default=ProgramFormat.BLENDED,
    )
    audience = models.CharField(
        _("категория слушателей"),
        max_length=16,
        choices=ProgramAudience.choices,
        default=ProgramAudience.TEACHERS,
    )
    in_federal_registry = models.BooleanField(_("в федеральном реестре ДПП"), default=False)
    federal_registry_number = models.CharField(
        _("номер в федеральном реестре"), max_length=64, blank=True
    )
    provider = models.CharField(
        _("реализует"),
        max_length=16,
        choices=ProgramProvider.choices,
        default=ProgramProvider.CENTER,
    )
    provider_name = models.CharField(_("организация-исполнитель"), max_length=300, blank=True)
    description = models.TextField(_("аннотация"), blank=True)
    areas = models.ManyToManyField(
        CompetenceArea,
        blank=True,
        related_name="programs",
        verbose_name=_("восполняемые дефициты"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("регион"),
    )

    scope_paths = ScopePaths(
        region=_catalogue_region("region"),
        municipality=_catalogue_region("region", "municipalities"),
        organization=_catalogue_region("region", "organizations"),
        person=lambda node_id: Q(),
    )

    objects = ScopedManager()
    history = HistoricalRecords(m2m_fields=[areas])

    class Meta:
        ordering = ["title"]
        verbose_name = _("программа ДПП ПК")
        verbose_name_plural = _("программы ДПП ПК")

    def __str__(self) -> str:
        return _("%(title)s (%(hours)s ч.)") % {"title": self.title, "hours": self.hours}

    def get_absolute_url(self) -> str:
        return reverse("learning:program-detail", args=[self.pk])


class Cohort(ScopedModel):
    """A group of learners taking a program on set dates (поток)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="cohorts", verbose_name=_("программа")
    )
    title = models.CharField(_("название потока"), max_length=200)
    start_date = models.DateField(_("дата начала"))
    end_date = models.DateField(_("дата окончания"))

    scope_paths = ScopePaths(
        region=_catalogue_region("program__region"),
        municipality=_catalogue_region("program__region", "municipalities"),
        organization=_catalogue_region("program__region", "organizations"),
        person=lambda node_id: Q(),
    )

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("поток обучения")
        verbose_name_plural = _("потоки обучения")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="cohort_end_after_start",
                violation_error_message=_("Дата окончания потока раньше даты начала."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.program.title}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("learning:cohort-detail", args=[self.pk])


class Enrollment(ScopedModel):
    """A teacher learning in a cohort; the certificate number is unique within the program."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("поток")
    )
    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("педагог")
    )
    status = models.CharField(
        _("статус"),
        max_length=16,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ENROLLED,
    )
    completion_date = models.DateField(_("дата завершения"), null=True, blank=True)
    certificate_number = models.CharField(
        _("номер удостоверения"), max_length=64, blank=True, db_index=True
    )

    scope_paths = teacher_scope_paths("teacher")
    scope_write_roles = CENTER_ROLES

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-cohort__start_date", "teacher__last_name"]
        verbose_name = _("зачисление на курс")
        verbose_name_plural = _("зачисления на курсы")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "teacher"],
                name="enrollment_once_per_cohort",
                violation_error_message=_("Педагог уже зачислен в этот поток."),
            )
        ]
        indexes = [models.Index(fields=["status", "completion_date"])]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.cohort}"

    def get_absolute_url(self) -> str:
        return reverse("learning:enrollment-detail", args=[self.pk])


class Diagnostic(ScopedModel):
    """A diagnostic session of a teacher's professional deficits."""

    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="diagnostics", verbose_name=_("педагог")
    )
    conducted_on = models.DateField(_("дата проведения"))
    instrument = models.CharField(_("инструмент диагностики"), max_length=300)
    conducted_by = models.ForeignKey(
        CenterStaff,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diagnostics",
        verbose_name=_("проводил"),
    )
    notes = models.TextField(_("комментарий"), blank=True)

    scope_paths = teacher_scope_paths("teacher")
    scope_write_roles = CENTER_ROLES

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-conducted_on", "-pk"]
        verbose_name = _("диагностика дефицитов")
        verbose_name_plural = _("диагностики дефицитов")
        indexes = [models.Index(fields=["teacher", "conducted_on"])]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.conducted_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("learning:diagnostic-detail", args=[self.pk])


class DiagnosticScore(ScopedModel):
    """A diagnostic's score in one competence area, with the threshold in force at the time."""

    diagnostic = models.ForeignKey(
        Diagnostic, on_delete=models.CASCADE, related_name="scores", verbose_name=_("диагностика")
    )
    area = models.ForeignKey(
        CompetenceArea,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("область компетенций"),
    )
    score = models.DecimalField(
        _("балл"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    threshold = models.DecimalField(_("порог"), max_digits=5, decimal_places=1)

    scope_paths = teacher_scope_paths("diagnostic__teacher")
    scope_write_roles = CENTER_ROLES

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["area__order", "area__name"]
        verbose_name = _("результат по области")
        verbose_name_plural = _("результаты по областям")
        constraints = [
            models.UniqueConstraint(
                fields=["diagnostic", "area"],
                name="diagnostic_score_once_per_area",
                violation_error_message=_("Балл по этой области уже указан."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.score}"

    @property
    def is_deficit(self) -> bool:
        return self.score < self.threshold


class Route(ScopedModel):
    """An individual educational route (ИОМ) of a teacher for a period."""

    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="routes", verbose_name=_("педагог")
    )
    methodist = models.ForeignKey(
        CenterStaff,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="routes",
        verbose_name=_("методист"),
    )
    developed_on = models.DateField(_("дата разработки"))
    planned_end = models.DateField(_("плановая дата завершения"))
    status = models.CharField(
        _("статус"), max_length=16, choices=RouteStatus.choices, default=RouteStatus.DRAFT
    )
    diagnostic = models.ForeignKey(
        Diagnostic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="routes",
        verbose_name=_("по результатам диагностики"),
    )
    deficits = models.ManyToManyField(
        CompetenceArea, blank=True, related_name="routes", verbose_name=_("дефициты")
    )
    notes = models.TextField(_("комментарий"), blank=True)

    scope_paths = teacher_scope_paths("teacher")
    scope_write_roles = CENTER_ROLES

    objects = ScopedManager()
    history = HistoricalRecords(m2m_fields=[deficits])

    class Meta:
        ordering = ["-developed_on", "-pk"]
        verbose_name = _("индивидуальный образовательный маршрут")
        verbose_name_plural = _("индивидуальные образовательные маршруты")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("developed_on")),
                name="route_end_after_start",
                violation_error_message=_(
                    "Плановая дата завершения маршрута раньше даты разработки."
                ),
            )
        ]
        indexes = [models.Index(fields=["status", "developed_on"])]

    def __str__(self) -> str:
        return _("ИОМ: %(teacher)s от %(date)s") % {
            "teacher": self.teacher,
            "date": f"{self.developed_on:%d.%m.%Y}",
        }

    def get_absolute_url(self) -> str:
        return reverse("learning:route-detail", args=[self.pk])


class RouteTransition(ScopedModel):
    """Who moved a route from one status to another, and when."""

    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("маршрут")
    )
    from_status = models.CharField(
        _("из статуса"), max_length=16, choices=RouteStatus.choices, blank=True
    )
    to_status = models.CharField(_("в статус"), max_length=16, choices=RouteStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто"),
    )
    changed_at = models.DateTimeField(_("когда"))
    changed_on = models.DateField(_("дата события"))
    comment = models.CharField(_("комментарий"), max_length=500, blank=True)

    scope_paths = teacher_scope_paths("route__teacher")
    scope_write_roles = CENTER_ROLES

    objects = ScopedManager()

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("смена статуса маршрута")
        verbose_name_plural = _("смены статусов маршрутов")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


def evidence_upload_to(instance: "RouteStep", filename: str) -> str:
    return f"evidence/route-{instance.route_id}/{filename}"


class RouteStep(ScopedModel):
    """A step of a route: a course, an event, an internship, self-study or mentoring."""

    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="steps", verbose_name=_("маршрут")
    )
    kind = models.CharField(_("вид"), max_length=16, choices=StepKind.choices)
    title = models.CharField(_("содержание"), max_length=500)
    areas = models.ManyToManyField(
        CompetenceArea, blank=True, related_name="route_steps", verbose_name=_("дефициты")
    )
    planned_start = models.DateField(_("плановое начало"))
    planned_end = models.DateField(_("плановое окончание"))
    actual_start = models.DateField(_("фактическое начало"), null=True, blank=True)
    actual_end = models.DateField(_("фактическое окончание"), null=True, blank=True)
    status = models.CharField(
        _("статус"), max_length=16, choices=StepStatus.choices, default=StepStatus.PLANNED
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="route_steps",
        verbose_name=_("программа"),
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="route_steps",
        verbose_name=_("зачисление на курс"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="route_steps",
        verbose_name=_("мероприятие"),
    )
    evidence_file = models.FileField(
        _("подтверждающий документ"), upload_to=evidence_upload_to, blank=True
    )
    evidence_link = models.URLField(_("ссылка на подтверждение"), blank=True)

    scope_paths = teacher_scope_paths("route__teacher")
    scope_write_roles = CENTER_ROLES

    objects = ScopedManager()
    history = HistoricalRecords(m2m_fields=[areas])

    class Meta:
        ordering = ["planned_start", "pk"]
        verbose_name = _("шаг маршрута")
        verbose_name_plural = _("шаги маршрутов")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="route_step_end_after_start",
                violation_error_message=_("Плановое окончание шага раньше начала."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class StaffTraining(ScopedModel):
    """Training of a Center staff member at the Federal Operator."""

    staff = models.ForeignKey(
        CenterStaff,
        on_delete=models.CASCADE,
        related_name="federal_trainings",
        verbose_name=_("сотрудник ЦНППМ"),
    )
    program_title = models.CharField(_("программа"), max_length=500)
    start_date = models.DateField(_("дата начала"))
    end_date = models.DateField(_("дата окончания"))
    completed_on = models.DateField(_("дата завершения"), null=True, blank=True)
    certificate_number = models.CharField(_("номер удостоверения"), max_length=64, blank=True)

    scope_paths = ScopePaths(region="staff__organization__region")
    scope_view_roles = frozenset({Role.OFFICIAL, Role.OPERATOR, Role.METHODIST})

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("обучение сотрудника у Федерального оператора")
        verbose_name_plural = _("обучение сотрудников у Федерального оператора")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="staff_training_end_after_start",
                violation_error_message=_("Дата окончания обучения раньше даты начала."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} — {self.program_title}"

    def get_absolute_url(self) -> str:
        return reverse("learning:stafftraining-detail", args=[self.pk])
