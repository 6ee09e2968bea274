"""Mentorship: the target model at a school, mentor pairs, check-ins, management-team mentoring."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from profdev.accounts.choices import Role
from profdev.mentorship.choices import ManagementMentoringStatus, PairStatus
from profdev.orgs.models import Organization
from profdev.orgs.scoping import Level, ScopedManager, ScopedModel, ScopePaths, path_q
from profdev.people.models import Teacher

COORDINATOR_ROLES = frozenset({Role.OPERATOR, Role.MUNICIPAL, Role.SCHOOL})


class MentorshipSettings(models.Model):
    """The operator's settings of the program (a singleton, pk=1); defaults apply until saved."""

    rule_requires_local_act = models.BooleanField(_("правило: локальный акт"), default=True)
    rule_requires_curator = models.BooleanField(_("правило: куратор"), default=True)
    rule_requires_program = models.BooleanField(
        _("правило: программа наставничества"), default=False
    )
    rule_requires_active_pair = models.BooleanField(
        _("правило: действующая пара в году"), default=True
    )
    check_in_weeks = models.PositiveSmallIntegerField(
        _("«требует внимания» без встреч, недель"), default=6
    )
    mentor_load_cap = models.PositiveSmallIntegerField(
        _("предельная нагрузка наставника, наставляемых"), default=3
    )
    ending_soon_days = models.PositiveSmallIntegerField(_("«скоро завершится», дней"), default=30)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("настройки наставничества")
        verbose_name_plural = _("настройки наставничества")

    def __str__(self) -> str:
        return str(_("Настройки наставничества"))

    @classmethod
    def load(cls) -> "MentorshipSettings":
        """The saved settings, or unsaved defaults (reading never writes)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class MentoringForm(models.Model):
    """A form of mentoring from the configurable catalogue (педагог – педагог, …)."""

    code = models.SlugField(_("код"), max_length=40, unique=True)
    name = models.CharField(_("название"), max_length=200, unique=True)
    is_active = models.BooleanField(_("используется"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("форма наставничества")
        verbose_name_plural = _("формы наставничества")

    def __str__(self) -> str:
        return self.name


def _school_scope(field: str = "organization") -> ScopePaths:
    return ScopePaths(
        region=f"{field}__region",
        municipality=f"{field}__municipality",
        organization=field,
    )


class TargetModel(ScopedModel):
    """The target mentorship model at one school: local act, curator and mentoring program."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="target_model",
        verbose_name=_("организация"),
    )
    local_act_number = models.CharField(_("номер локального акта"), max_length=64, blank=True)
    local_act_date = models.DateField(_("дата локального акта"), null=True, blank=True)
    local_act_file = models.FileField(
        _("файл локального акта"), upload_to="mentorship/acts/%Y/", blank=True
    )
    curator = models.ForeignKey(
        Teacher,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="curated_target_models",
        verbose_name=_("куратор"),
    )
    program_title = models.CharField(_("программа наставничества"), max_length=500, blank=True)
    program_start = models.DateField(_("начало программы"), null=True, blank=True)
    program_end = models.DateField(_("окончание программы"), null=True, blank=True)
    program_file = models.FileField(
        _("файл программы"), upload_to="mentorship/programs/%Y/", blank=True
    )

    scope_paths = _school_scope()
    scope_write_roles = COORDINATOR_ROLES

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__name"]
        verbose_name = _("целевая модель наставничества")
        verbose_name_plural = _("целевые модели наставничества")
        constraints = [
            models.CheckConstraint(
                condition=Q(program_end__isnull=True)
                | Q(program_start__isnull=True)
                | Q(program_end__gte=F("program_start")),
                name="target_model_program_end_after_start",
                violation_error_message=_("Программа заканчивается раньше, чем начинается."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Целевая модель: %(org)s") % {"org": self.organization})

    def get_absolute_url(self) -> str:
        return reverse("mentorship:school", args=[self.organization_id])

    def clean(self) -> None:
        if self.program_start and self.program_end and self.program_end < self.program_start:
            raise ValidationError(
                {"program_end": _("Программа не может заканчиваться раньше, чем начинается.")}
            )


def _pair_at(lookup: str) -> Callable[[int], Q]:
    """A pair is seen from its own school and from the current schools of its mentor and mentees."""

    def condition(node_id: int) -> Q:
        from profdev.people.models import Employment, active_employment_q, teacher_employed_at

        # Mentees are many per pair, so they are reached through the reverse relation.
        mentee_at = Employment.objects.filter(
            active_employment_q(), teacher__mentee_pairs=OuterRef("pk"), **{lookup: node_id}
        )
        mentor_at = teacher_employed_at("mentor", lookup)(node_id)
        return Q(**{lookup: node_id}) | Q(Exists(mentee_at)) | mentor_at

    return condition


class MentorPair(ScopedModel):
    """A mentor pair or group: one mentor and one or more mentees for a period."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="mentor_pairs",
        verbose_name=_("организация"),
        help_text=_("Школа, в целевой модели которой работает пара (школа наставляемых)."),
    )
    mentor = models.ForeignKey(
        Teacher, on_delete=models.PROTECT, related_name="mentor_pairs", verbose_name=_("наставник")
    )
    mentees = models.ManyToManyField(
        Teacher, related_name="mentee_pairs", verbose_name=_("наставляемые")
    )
    form = models.ForeignKey(
        MentoringForm, on_delete=models.PROTECT, related_name="pairs", verbose_name=_("форма")
    )
    start_date = models.DateField(_("дата начала"))
    planned_end = models.DateField(_("плановое окончание"))
    end_date = models.DateField(_("фактическое окончание"), null=True, blank=True)
    goals = models.TextField(_("цели"), blank=True)
    status = models.CharField(
        _("статус"), max_length=16, choices=PairStatus.choices, default=PairStatus.ACTIVE
    )
    outcome = models.TextField(_("результат"), blank=True)
    mentee_self_assessment = models.TextField(_("самооценка наставляемого"), blank=True)

    scope_paths = ScopePaths(
        region="organization__region",
        municipality=_pair_at("organization__municipality"),
        organization=_pair_at("organization"),
        person=lambda node_id: (
            Q(mentor=node_id)
            | Q(Exists(Teacher.objects.filter(pk=node_id, mentee_pairs=OuterRef("pk"))))
        ),
    )
    scope_write_roles = COORDINATOR_ROLES

    objects = ScopedManager()
    history = HistoricalRecords(m2m_fields=[mentees])

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("наставническая пара (группа)")
        verbose_name_plural = _("наставнические пары (группы)")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("start_date")),
                name="mentor_pair_planned_end_after_start",
                violation_error_message=_("Пара не может заканчиваться раньше, чем начинается."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="mentor_pair_end_after_start",
                violation_error_message=_("Пара не может заканчиваться раньше, чем начинается."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["mentor", "status"]),
        ]

    def __str__(self) -> str:
        return str(
            _("%(mentor)s (%(form)s) с %(start)s")
            % {"mentor": self.mentor, "form": self.form, "start": self.start_date}
        )

    def get_absolute_url(self) -> str:
        return reverse("mentorship:pair-detail", args=[self.pk])

    def clean(self) -> None:
        if self.start_date and self.planned_end and self.planned_end < self.start_date:
            raise ValidationError(
                {"planned_end": _("Пара не может заканчиваться раньше, чем начинается.")}
            )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("Пара не может заканчиваться раньше, чем начинается.")}
            )


def pair_active_during_q(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
    """Pairs that worked at some point between `start` and `end` (inclusive)."""
    # A finished pair without an actual end date is taken to have ended as planned.
    return Q(**{f"{prefix}start_date__lte": end}) & (
        Q(**{f"{prefix}end_date__gte": start})
        | Q(**{f"{prefix}end_date__isnull": True, f"{prefix}status": PairStatus.ACTIVE})
        | Q(**{f"{prefix}end_date__isnull": True, f"{prefix}planned_end__gte": start})
    )


def _check_in_via_pair(level: Level, node_id: int) -> Q:
    """Check-ins are seen wherever their pair is seen."""
    pairs = MentorPair.objects.filter(
        path_q(MentorPair.scope_paths.for_level(level), node_id) or Q(pk__in=[])
    )
    return Q(pair__in=pairs.values("pk"))


class CheckIn(ScopedModel):
    """A meeting or check-in of a pair, logged by the pair or the curator."""

    pair = models.ForeignKey(
        MentorPair, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("пара")
    )
    date = models.DateField(_("дата"))
    topic = models.CharField(_("тема"), max_length=300)
    note = models.TextField(_("заметка"), blank=True)

    scope_paths = ScopePaths(
        region="pair__organization__region",
        municipality=lambda node_id: _check_in_via_pair(Level.MUNICIPALITY, node_id),
        organization=lambda node_id: _check_in_via_pair(Level.ORGANIZATION, node_id),
        person=lambda node_id: _check_in_via_pair(Level.PERSON, node_id),
    )
    scope_write_roles = frozenset({Role.OPERATOR, Role.MUNICIPAL, Role.SCHOOL, Role.TEACHER})

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("встреча пары")
        verbose_name_plural = _("встречи пар")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} — {self.topic}"


class ManagementMentoring(ScopedModel):
    """A mentor organization's management team supports a mentee organization's for a period."""

    mentor_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="management_mentoring_given",
        verbose_name=_("организация-наставник"),
    )
    mentee_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="management_mentoring_received",
        verbose_name=_("организация-наставляемая"),
    )
    start_date = models.DateField(_("дата начала"))
    end_date = models.DateField(_("дата окончания"), null=True, blank=True)
    status = models.CharField(
        _("статус"),
        max_length=16,
        choices=ManagementMentoringStatus.choices,
        default=ManagementMentoringStatus.ACTIVE,
    )
    goals = models.TextField(_("цели"), blank=True)
    mentor_people = models.ManyToManyField(
        Teacher,
        blank=True,
        related_name="management_mentoring_as_mentor",
        verbose_name=_("команда наставника"),
    )
    mentee_people = models.ManyToManyField(
        Teacher,
        blank=True,
        related_name="management_mentoring_as_mentee",
        verbose_name=_("команда наставляемых"),
    )

    scope_paths = ScopePaths(
        region=lambda node_id: (
            Q(mentee_organization__region=node_id) | Q(mentor_organization__region=node_id)
        ),
        municipality=lambda node_id: (
            Q(mentee_organization__municipality=node_id)
            | Q(mentor_organization__municipality=node_id)
        ),
        organization=lambda node_id: (
            Q(mentee_organization=node_id) | Q(mentor_organization=node_id)
        ),
    )
    scope_write_roles = frozenset({Role.OPERATOR, Role.MUNICIPAL})

    objects = ScopedManager()
    history = HistoricalRecords(m2m_fields=[mentor_people, mentee_people])

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("менторство управленческих команд")
        verbose_name_plural = _("менторство управленческих команд")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor_organization=F("mentee_organization")),
                name="management_mentoring_not_self",
                violation_error_message=_("Организация не может быть наставником самой себе."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="management_mentoring_end_after_start",
                violation_error_message=_("Дата окончания раньше даты начала."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_organization} → {self.mentee_organization}"

    def get_absolute_url(self) -> str:
        return reverse("mentorship:management-detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.mentor_organization_id
            and self.mentor_organization_id == self.mentee_organization_id
        ):
            raise ValidationError(
                {"mentee_organization": _("Организация не может быть наставником самой себе.")}
            )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("Дата окончания не может быть раньше даты начала.")}
            )


def management_active_during_q(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
    """Management-team mentoring links that worked at some point between `start` and `end`."""
    return Q(**{f"{prefix}start_date__lte": end}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": start})
    )
