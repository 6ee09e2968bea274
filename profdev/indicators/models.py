"""Targets of the seven indicators per year (order 308-р minimums and the operator's later ones)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from profdev.accounts.choices import Role
from profdev.indicators.choices import IndicatorCode, Unit
from profdev.orgs.scoping import ScopedManager, ScopedModel, ScopePaths


def _everyone(node_id: int) -> Q:
    """Targets are regional norms: every scope sees them."""
    return Q()


MIN_YEAR = 2020
DATA_VERSION_SHARDS = 16


class Target(ScopedModel):
    """The minimum value of one indicator for one year (a share in percent or a count)."""

    indicator = models.CharField(_("показатель"), max_length=2, choices=IndicatorCode.choices)
    year = models.PositiveSmallIntegerField(_("год"))
    value = models.DecimalField(
        _("целевое значение"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), _("Целевое значение не может быть меньше 0."))],
        help_text=_("Для доли — в процентах (0–100), для количества — число."),
    )
    unit = models.CharField(_("единица"), max_length=8, choices=Unit.choices, default=Unit.SHARE)
    note = models.CharField(_("основание"), max_length=200, blank=True)

    scope_paths = ScopePaths(
        region=_everyone, municipality=_everyone, organization=_everyone, person=_everyone
    )
    scope_write_roles = frozenset({Role.OPERATOR})

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "indicator"]
        verbose_name = _("целевое значение показателя")
        verbose_name_plural = _("целевые значения показателей")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="target_unique_indicator_year",
                violation_error_message=_("Цель для этого показателя и года уже задана."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="target_value_not_negative",
                violation_error_message=_("Целевое значение не может быть меньше 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} — {self.year}: {self.value} ({self.get_unit_display()})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.value is not None and self.value < 0:
            errors["value"] = str(_("Целевое значение не может быть меньше 0."))
        if self.unit == Unit.SHARE and self.value is not None and self.value > 100:
            errors["value"] = str(_("Доля не может быть больше 100 %."))
        if self.year is not None and self.year < MIN_YEAR:
            errors["year"] = str(_("Год не может быть раньше 2020."))
        if self.indicator == IndicatorCode.REGIONAL_EVENTS and self.unit != Unit.COUNT:
            errors["unit"] = str(_("Показатель 4 — количество, а не доля."))
        if errors:
            raise ValidationError(errors)


class DataVersion(models.Model):
    """Shards of a change stamp of every table the indicators read.

    Database triggers (migration 0003) set a shard to a fresh random number on every insert,
    update, delete or truncate of a source table, bulk writes and raw SQL included, in the
    writer's own transaction. The vector of shards is therefore new after every committed write
    and never repeats, so it keys the cache of computed figures (`compute.py`). On PostgreSQL the
    shard is `txid_current() % 16`, so two writing transactions rarely wait for the same row.
    """

    id = models.PositiveSmallIntegerField(primary_key=True)
    stamp = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("версия данных показателей")
        verbose_name_plural = _("версии данных показателей")

    def __str__(self) -> str:
        return f"{self.id}: {self.stamp}"


class RegionVersion(models.Model):
    """Change stamps of one region's source rows, so that a write invalidates only its region.

    Database triggers (migration 0004) map every inserted, updated or deleted source row to the
    regions whose figures it can change (an employment to its organization's region, an enrollment
    or a route to the regions of the teacher's employments, a participation to its event's region,
    …) and give each such region a fresh random stamp, in the writer's own transaction. A region
    has up to `DATA_VERSION_SHARDS` rows (`id = region_id * shards + shard`, the shard taken from
    the writer's transaction id) so that two writers in one region rarely wait for each other.
    Programmes and cohorts stamp the regions of their enrolled teachers (migration 0008).
    Writes that can change every region (the mentorship rule, targets,
    TRUNCATE) stamp `DataVersion` instead.
    """

    id = models.BigIntegerField(primary_key=True)
    region_id = models.IntegerField(db_index=True)
    stamp = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("версия данных показателей региона")
        verbose_name_plural = _("версии данных показателей регионов")

    def __str__(self) -> str:
        return f"{self.region_id}/{self.id}: {self.stamp}"


class CountStep(models.Model):
    """A running count of one series of one node, from `day` until the series' next row
    (decision 0012): the teachers of a municipality or a region active on a date and those of
    them with a route / a Center completion of the year up to that date, the schools whose
    management team completed a course or that take part in management mentoring, the regional
    events of a region and those a municipality took part in (`steps.Series`).

    Built per region by `steps.build` from the source rows, with the region's count stamps at
    that moment in `CountStepBuild`; a computation reads a region's counts here only while its
    stamps are still those (PostgreSQL only: SQLite's demo region is counted directly).
    """

    pk = models.CompositePrimaryKey("region_id", "node", "series", "year", "day")
    region_id = models.IntegerField()
    node = models.IntegerField()  # the municipality or, for the region's series, the region
    series = models.SmallIntegerField()  # steps.Series
    year = models.SmallIntegerField()  # 0: the same for every year
    day = models.DateField()
    total = models.IntegerField()

    class Meta:
        verbose_name = _("шаг счётчика показателей")
        verbose_name_plural = _("шаги счётчиков показателей")

    def __str__(self) -> str:
        return f"{self.region_id}/{self.node}/{self.series}/{self.year} {self.day}: {self.total}"


class CountStepBuild(models.Model):
    """Which stamps a region's `CountStep` rows were built from (a digest of them), and the
    region's counts that do not change with the date."""

    region_id = models.IntegerField(primary_key=True)
    stamps = models.CharField(max_length=64)
    # The municipalities with any series, so that a read probes only them.
    municipalities = models.JSONField(default=list)
    # Schools per municipality {id: n}; those implementing the mentorship model {year: {id: n}}
    # for the years up to `last_year` (indicator 6 depends on the year, not the date).
    schools = models.JSONField(default=dict)
    implementing = models.JSONField(default=dict)
    last_year = models.SmallIntegerField(default=0)
    built_at = models.DateTimeField()
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("построение шагов показателей региона")
        verbose_name_plural = _("построения шагов показателей регионов")

    def __str__(self) -> str:
        return f"{self.region_id}: {self.built_at:%d.%m.%Y %H:%M}"
