"""People: teachers, their employments at organizations, and the Center's own staff."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from profdev.accounts.choices import Role
from profdev.common.identifiers import format_snils, mask_snils, validate_snils
from profdev.orgs.models import Municipality, Organization, Region
from profdev.orgs.scoping import ScopedManager, ScopedModel, ScopePaths
from profdev.people.choices import EmploymentKind, Position, QualificationCategory, StaffPosition


class Subject(models.Model):
    """A school subject from the catalogue (математика, русский язык, …)."""

    name = models.CharField(_("название"), max_length=200, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("предмет")
        verbose_name_plural = _("предметы")

    def __str__(self) -> str:
        return self.name


def active_employment_q(prefix: str = "", on: datetime.date | None = None) -> Q:
    """Employment active on a date (today by default); `prefix` leads to the employment."""
    day = on or timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def teacher_employed_at(teacher_path: str, lookup: str) -> Callable[[int], Q]:
    """A teacher (or a record about one, reached by `teacher_path`) is in a node's scope
    while the teacher holds an active employment there."""

    def condition(node_id: int) -> Q:
        employments = Employment.objects.filter(
            active_employment_q(), teacher=OuterRef(teacher_path), **{lookup: node_id}
        )
        return Q(Exists(employments))

    return condition


def teacher_scope_paths(teacher_path: str) -> ScopePaths:
    """Scope of a teacher, or of a record reached through a teacher, by active employments."""
    return ScopePaths(
        region=teacher_employed_at(teacher_path, "organization__region"),
        municipality=teacher_employed_at(teacher_path, "organization__municipality"),
        organization=teacher_employed_at(teacher_path, "organization"),
        person=teacher_path,
    )


class Teacher(ScopedModel):
    """A pedagogical worker (педагогический работник), identified by SNILS."""

    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)
    snils = models.CharField(
        _("СНИЛС"),
        max_length=11,
        unique=True,
        validators=[validate_snils],
        error_messages={"unique": _("Педагог с таким СНИЛС уже есть в реестре.")},
    )
    subjects = models.ManyToManyField(Subject, blank=True, verbose_name=_("предметы"))
    qualification_category = models.CharField(
        _("квалификационная категория"),
        max_length=16,
        choices=QualificationCategory.choices,
        default=QualificationCategory.NONE,
    )
    career_start = models.DateField(_("начало педагогической деятельности"), null=True, blank=True)
    email = models.EmailField(_("эл. почта"), blank=True)

    scope_paths = teacher_scope_paths("pk")
    scope_write_roles = frozenset({Role.OPERATOR, Role.MUNICIPAL, Role.SCHOOL})

    objects = ScopedManager()
    # The trail's user is kept without a foreign key, its SNILS unindexed (decision 0006).
    history = HistoricalRecords(
        m2m_fields=[subjects], user_db_constraint=False, no_db_index=["snils"]
    )

    class Meta:
        ordering = ["last_name", "first_name", "middle_name"]
        verbose_name = _("педагог")
        verbose_name_plural = _("педагоги")
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("people:teacher-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.last_name, self.first_name, self.middle_name) if part
        )

    @property
    def snils_masked(self) -> str:
        return mask_snils(self.snils)

    @property
    def snils_formatted(self) -> str:
        return format_snils(self.snils)

    @property
    def is_young_specialist(self) -> bool:
        """Under `PROFDEV_YOUNG_SPECIALIST_YEARS` years since the start of teaching."""
        if self.career_start is None:
            return False
        return self.career_start > young_specialist_cutoff()


def young_specialist_cutoff(on: datetime.date | None = None) -> datetime.date:
    """Career starts after this date make a young specialist on `on`."""
    day = on or timezone.localdate()
    years = settings.PROFDEV_YOUNG_SPECIALIST_YEARS
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Employment(ScopedModel):
    """A teacher's job at an organization; a person may hold several at once."""

    # No single-column indexes: the composite indexes below start with these columns.
    teacher = models.ForeignKey(
        Teacher,
        on_delete=models.CASCADE,
        related_name="employments",
        verbose_name=_("педагог"),
        db_index=False,
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="employments",
        verbose_name=_("организация"),
        db_index=False,
    )
    position = models.CharField(
        _("должность"), max_length=32, choices=Position.choices, default=Position.TEACHER
    )
    is_management = models.BooleanField(_("управленческая команда"), default=False)
    kind = models.CharField(
        _("вид занятости"),
        max_length=16,
        choices=EmploymentKind.choices,
        default=EmploymentKind.MAIN,
    )
    start_date = models.DateField(_("дата начала"))
    end_date = models.DateField(_("дата окончания"), null=True, blank=True)

    scope_paths = ScopePaths(
        region="organization__region",
        municipality="organization__municipality",
        organization="organization",
        person="teacher",
    )
    scope_write_roles = frozenset({Role.OPERATOR, Role.MUNICIPAL, Role.SCHOOL})

    objects = ScopedManager()
    history = HistoricalRecords(user_db_constraint=False, no_db_index=["teacher", "organization"])

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("место работы")
        verbose_name_plural = _("места работы")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_end_after_start",
                violation_error_message=_("Дата окончания работы раньше даты начала."),
            )
        ]
        # By organization: the indicators' covering index (organization, start_date,
        # end_date, teacher; indicators migration 0005) serves every lookup by organization
        # and dates (migration 0005 here dropped the same index without the teacher).
        indexes = [models.Index(fields=["teacher", "start_date"])]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.organization} ({self.get_position_display()})"

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("Дата окончания работы не может быть раньше даты начала.")}
            )

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class TeacherPlace(models.Model):
    """Where a teacher works: a copy of one employment with its region, municipality and the
    teacher's name, written only by database triggers (migration 0003) so that every write —
    services, imports, bulk and raw SQL — keeps it equal to the employments.

    It lets a region's, a municipality's or a school's teacher list be read in name order from
    one index range instead of checking every teacher of the country against the employments
    (docs/performance.md «Teacher list»). It decides nothing about scope: the list still reads
    the rows through `Teacher.objects.for_user`.
    """

    employment = models.OneToOneField(
        Employment,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Not indexed: a rename finds its places through the employments' (teacher, start) index.
    teacher = models.ForeignKey(
        Teacher,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="places",
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    region = models.ForeignKey(
        Region, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True)
    last_name = models.CharField(max_length=100)
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("место работы педагога (копия для списков)")
        verbose_name_plural = _("места работы педагогов (копия для списков)")
        indexes = [
            models.Index(
                # The dates last, so the active check is read from the index alone.
                fields=[
                    level,
                    "last_name",
                    "first_name",
                    "middle_name",
                    "teacher",
                    "start_date",
                    "end_date",
                ],
                name=f"people_place_{level}_name",
            )
            for level in ("region", "municipality", "organization")
        ]

    def __str__(self) -> str:
        return f"{self.teacher_id} @ {self.organization_id}"


class ListVersion(models.Model):
    """Change stamps of what a region's teacher lists show, so a cached list page is never stale.

    Database triggers (migration 0006) give a region a fresh random stamp, in the writer's own
    transaction, on every write that can change a row of a teacher list there: a teacher's own
    columns, any employment of a teacher who works in the region (the list shows the main
    current job, which may be in another region), and a rename of an organization or a
    municipality where such a teacher works. Bulk writes and raw SQL included. Same sharding as
    `indicators.RegionVersion` (`id = region_id * 16 + shard`).
    """

    id = models.BigIntegerField(primary_key=True)
    region_id = models.IntegerField(db_index=True)
    stamp = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("версия списков педагогов региона")
        verbose_name_plural = _("версии списков педагогов регионов")

    def __str__(self) -> str:
        return f"{self.region_id}: {self.stamp}"


class CenterStaff(ScopedModel):
    """A member of the Center's own staff (methodist, tutor, …)."""

    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="center_staff",
        verbose_name=_("организация (ЦНППМ)"),
    )
    position = models.CharField(
        _("должность"),
        max_length=16,
        choices=StaffPosition.choices,
        default=StaffPosition.METHODIST,
    )
    start_date = models.DateField(_("дата приёма"))
    end_date = models.DateField(_("дата увольнения"), null=True, blank=True)
    email = models.EmailField(_("эл. почта"), blank=True)

    scope_paths = ScopePaths(region="organization__region")
    scope_view_roles = frozenset({Role.OFFICIAL, Role.OPERATOR, Role.METHODIST})

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("сотрудник ЦНППМ")
        verbose_name_plural = _("сотрудники ЦНППМ")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="center_staff_end_after_start",
                violation_error_message=_("Дата увольнения раньше даты приёма."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("people:staff-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.last_name, self.first_name, self.middle_name) if part
        )
