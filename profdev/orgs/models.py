"""The organization tree: region → municipality → educational organization."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from profdev.accounts.choices import Role
from profdev.common.identifiers import validate_inn, validate_ogrn
from profdev.orgs.choices import Founder, MunicipalityKind, OrganizationKind
from profdev.orgs.scoping import ScopedManager, ScopedModel, ScopePaths


class Region(ScopedModel):
    """A subject of the Russian Federation (Tomsk Region by default)."""

    name = models.CharField(_("название"), max_length=200, unique=True)
    code = models.CharField(_("код субъекта"), max_length=3, unique=True)

    scope_paths = ScopePaths(region="pk")

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("регион")
        verbose_name_plural = _("регионы")

    def __str__(self) -> str:
        return self.name


class Municipality(ScopedModel):
    """A municipality (городской округ, муниципальный район или округ)."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("регион")
    )
    name = models.CharField(_("название"), max_length=200)
    kind = models.CharField(_("вид"), max_length=32, choices=MunicipalityKind.choices)
    oktmo = models.CharField(_("ОКТМО"), max_length=11, blank=True)

    scope_paths = ScopePaths(region="region", municipality="pk")
    scope_write_roles = frozenset({Role.OPERATOR})

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("муниципальное образование")
        verbose_name_plural = _("муниципальные образования")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="municipality_unique_name_in_region",
                violation_error_message=_("Муниципалитет с таким названием уже есть в регионе."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:municipality-detail", args=[self.pk])


class Organization(ScopedModel):
    """An educational organization (mostly a general-education school) or another body."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("регион")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("муниципальное образование"),
    )
    name = models.CharField(_("полное название"), max_length=500)
    short_name = models.CharField(_("краткое название"), max_length=200, blank=True)
    kind = models.CharField(
        _("тип"), max_length=16, choices=OrganizationKind.choices, default=OrganizationKind.SCHOOL
    )
    founder = models.CharField(
        _("учредитель"), max_length=16, choices=Founder.choices, default=Founder.MUNICIPALITY
    )
    inn = models.CharField(_("ИНН"), max_length=10, blank=True, validators=[validate_inn])
    ogrn = models.CharField(_("ОГРН"), max_length=13, blank=True, validators=[validate_ogrn])
    address = models.CharField(_("адрес"), max_length=500, blank=True)
    low_results = models.BooleanField(
        _("ШНОР"), default=False, help_text=_("Школа с низкими образовательными результатами")
    )
    is_center = models.BooleanField(
        _("ЦНППМ"), default=False, help_text=_("Организация, в которой работает ЦНППМ (ТОИПКРО)")
    )
    is_active = models.BooleanField(_("действует"), default=True)

    scope_paths = ScopePaths(region="region", municipality="municipality", organization="pk")
    scope_write_roles = frozenset({Role.OPERATOR, Role.MUNICIPAL})

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        constraints = [
            models.UniqueConstraint(
                fields=["inn"],
                condition=~Q(inn=""),
                name="organization_unique_inn",
                violation_error_message=_("Организация с таким ИНН уже есть в реестре."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="organization_unique_name_in_municipality",
                violation_error_message=_(
                    "Организация с таким названием уже есть в этом муниципалитете."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "kind"]),
            models.Index(fields=["municipality", "kind"]),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:organization-detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.municipality_id
            and self.region_id
            and self.municipality.region_id != self.region_id
        ):
            raise ValidationError(
                {
                    "municipality": _(
                        "Муниципалитет «%(municipality)s» относится к другому региону."
                    )
                    % {"municipality": self.municipality}
                }
            )
