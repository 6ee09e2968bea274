"""Regional events (conferences, seminars, contests, …) and who took part in them."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from profdev.accounts.choices import Role
from profdev.events.choices import EventFormat, EventKind, EventLevel, ParticipationRole
from profdev.orgs.models import Municipality, Organization, Region
from profdev.orgs.scoping import Action, Level, Scope, ScopedManager, ScopedModel, ScopePaths
from profdev.people.models import Employment, Teacher, active_employment_q, teacher_employed_at


def _regions_of_municipality(node_id: int) -> Q:
    return Q(region__in=Municipality.objects.filter(pk=node_id).values("region_id"))


def _regions_of_organization(node_id: int) -> Q:
    return Q(region__in=Organization.objects.filter(pk=node_id).values("region_id"))


def _regions_of_teacher(node_id: int) -> Q:
    employments = Employment.objects.filter(active_employment_q(), teacher_id=node_id)
    return Q(region__in=employments.values("organization__region_id"))


class Event(ScopedModel):
    """An event of the professional-development calendar (regional, municipal, …)."""

    title = models.CharField(_("название"), max_length=500)
    kind = models.CharField(
        _("вид"), max_length=16, choices=EventKind.choices, default=EventKind.SEMINAR
    )
    level = models.CharField(
        _("уровень"), max_length=16, choices=EventLevel.choices, default=EventLevel.REGIONAL
    )
    start_date = models.DateField(_("дата начала"))
    end_date = models.DateField(_("дата окончания"))
    format = models.CharField(
        _("формат"), max_length=16, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    organizer = models.CharField(_("организатор"), max_length=500, blank=True)
    organizer_organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organized_events",
        verbose_name=_("организация-организатор"),
    )
    description = models.TextField(_("описание"), blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="events", verbose_name=_("регион")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("муниципалитет"),
        help_text=_("Для муниципальных мероприятий."),
    )
    participant_count = models.PositiveIntegerField(
        _("число участников"),
        null=True,
        blank=True,
        help_text=_("Для мероприятий без поименного списка участников."),
    )
    areas = models.ManyToManyField(
        "learning.CompetenceArea",
        blank=True,
        related_name="events",
        verbose_name=_("восполняемые дефициты"),
        help_text=_("Области компетенций, дефициты в которых помогает восполнить мероприятие."),
    )

    scope_paths = ScopePaths(
        region="region",
        # events are visible to everyone in their region
        municipality=_regions_of_municipality,
        organization=_regions_of_organization,
        person=_regions_of_teacher,
    )
    scope_write_roles = frozenset({Role.OPERATOR, Role.METHODIST, Role.MUNICIPAL})

    objects = ScopedManager()
    history = HistoricalRecords(m2m_fields=[areas])

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="event_end_after_start",
                violation_error_message=_("Дата окончания мероприятия раньше даты начала."),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "level", "start_date"]),
            models.Index(fields=["municipality", "start_date"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event-detail", args=[self.pk])

    @classmethod
    def scope_filter(cls, scope: Scope, action: Action) -> Q | None:
        """A municipal coordinator changes only municipal events of their municipality."""
        condition = super().scope_filter(scope, action)
        if condition is not None and action == Action.CHANGE and scope.level == Level.MUNICIPALITY:
            return Q(level=EventLevel.MUNICIPAL, municipality=scope.node_id)
        return condition

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Дата окончания мероприятия не может быть раньше даты начала.")
        if self.level == EventLevel.MUNICIPAL and self.municipality_id is None:
            errors["municipality"] = _("Для муниципального мероприятия укажите муниципалитет.")
        if (
            self.municipality is not None
            and self.region_id is not None
            and self.municipality.region_id != self.region_id
        ):
            errors["municipality"] = _("Муниципалитет не относится к региону мероприятия.")
        if errors:
            raise ValidationError(errors)

    @property
    def year(self) -> int:
        return self.start_date.year


def _participant_in(employment_lookup: str, organization_lookup: str) -> Callable[[int], Q]:
    """A participation belongs to the node where its teacher works or its organization sits."""
    teacher_there = teacher_employed_at("teacher", employment_lookup)

    def condition(node_id: int) -> Q:
        return teacher_there(node_id) | Q(**{organization_lookup: node_id})

    return condition


class EventParticipation(ScopedModel):
    """A teacher or an organization taking part in an event (exactly one of the two)."""

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("мероприятие"),
    )
    teacher = models.ForeignKey(
        Teacher,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_participations",
        verbose_name=_("педагог"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_participations",
        verbose_name=_("организация"),
    )
    role = models.CharField(
        _("роль"),
        max_length=16,
        choices=ParticipationRole.choices,
        default=ParticipationRole.PARTICIPANT,
    )

    scope_paths = ScopePaths(
        region="event__region",
        municipality=_participant_in("organization__municipality", "organization__municipality"),
        organization=_participant_in("organization", "organization"),
        person="teacher",
    )
    scope_write_roles = frozenset({Role.OPERATOR, Role.METHODIST, Role.MUNICIPAL})

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("участие в мероприятии")
        verbose_name_plural = _("участие в мероприятиях")
        constraints = [
            models.CheckConstraint(
                condition=(Q(teacher__isnull=False) & Q(organization__isnull=True))
                | (Q(teacher__isnull=True) & Q(organization__isnull=False)),
                name="participation_teacher_xor_organization",
                violation_error_message=_("Укажите либо педагога, либо организацию."),
            ),
            models.UniqueConstraint(
                fields=["event", "teacher"],
                condition=Q(teacher__isnull=False),
                name="participation_unique_teacher",
                violation_error_message=_("Этот педагог уже есть среди участников мероприятия."),
            ),
            models.UniqueConstraint(
                fields=["event", "organization"],
                condition=Q(organization__isnull=False),
                name="participation_unique_organization",
                violation_error_message=_("Эта организация уже есть среди участников мероприятия."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.event}"

    @property
    def participant(self) -> Teacher | Organization | None:
        return self.teacher or self.organization

    @classmethod
    def scope_filter(cls, scope: Scope, action: Action) -> Q | None:
        """A municipal coordinator changes their own participants of their municipal events."""
        condition = super().scope_filter(scope, action)
        if condition is not None and action == Action.CHANGE and scope.level == Level.MUNICIPALITY:
            return condition & Q(
                event__level=EventLevel.MUNICIPAL, event__municipality=scope.node_id
            )
        return condition

    def clean(self) -> None:
        if (self.teacher_id is None) == (self.organization_id is None):
            raise ValidationError(_("Укажите либо педагога, либо организацию."))
