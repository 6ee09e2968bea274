"""The seven indicators of order 308-р, computed in the database for a year, a scope and a date.

Every figure is one aggregate query for the scope and one GROUP BY (or one correlated subquery)
for the breakdown by municipality, whatever the number of municipalities. Pages, the API, the
command, exports and reports all call this module. Source models are looked up lazily so that an
indicator whose app has no records yet shows "нет данных" instead of failing.

Counting rules (also shown in the UI):
- "teachers": distinct people with an employment active on the as-of date at an active
  general-education organization (kind "school") of the scope; someone employed in two
  municipalities counts in each and once for the region;
- numerators count records dated from 1 January of the year up to the as-of date (31 December by
  default), so a figure for a past date can be reproduced later.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from profdev.indicators.choices import IndicatorCode, Status, Unit
from profdev.indicators.models import DATA_VERSION_SHARDS, MIN_YEAR, DataVersion, Target
from profdev.orgs.choices import OrganizationKind
from profdev.orgs.models import Municipality, Organization, Region
from profdev.orgs.scoping import Level, scope_of
from profdev.people.choices import MANAGEMENT_POSITIONS
from profdev.people.models import CenterStaff, Employment, Teacher, active_employment_q

ROUTE_COUNTED_STATUSES = ("approved", "in_progress", "completed")
FLOW_INDICATORS = frozenset({"1", "2", "4", "5"})  # grow through the year: forecast linearly

DEFINITIONS: dict[str, Any] = {
    "1": gettext_lazy(
        "Педагоги, которым ЦНППМ разработал ИОМ с датой в отчётном году (статус «утверждён» или "
        "далее; черновики и отменённые не считаются) / все педагоги ОО на дату."
    ),
    "2": gettext_lazy(
        "Педагоги, завершившие в отчётном году обучение по программе, реализуемой ЦНППМ "
        "(курсы других организаций не считаются) / все педагоги ОО на дату."
    ),
    "3": gettext_lazy(
        "Сотрудники ЦНППМ, завершившие обучение на базе Федерального оператора к дате (нарастающим "
        "итогом) / сотрудники ЦНППМ, работающие на дату. Показатель региональный."
    ),
    "4": gettext_lazy(
        "Мероприятия регионального уровня, начавшиеся в отчётном году (для муниципалитета — с "
        "участием его педагогов или организаций). Количество, без знаменателя."
    ),
    "5": gettext_lazy(
        "ОО, хотя бы один член управленческой команды которых (руководящая должность в этой ОО на "
        "дату окончания) завершил в году программу для управленческих команд: количество и доля "
        "от всех ОО."
    ),
    "6": gettext_lazy(
        "ОО, реализующие целевую модель наставничества в году (локальный акт не позднее 31 декабря, "
        "куратор, хотя бы одна пара, действовавшая в году) / все ОО."
    ),
    "7": gettext_lazy(
        "ОО — наставник или подопечная в менторстве управленческих команд, действовавшем в году / "
        "все ОО."
    ),
}

UNITS: dict[str, str] = {code: Unit.SHARE.value for code in IndicatorCode.values} | {
    "4": Unit.COUNT.value
}

CountPair = tuple[int | None, int | None]


def _model(label: str) -> Any:
    """A source model, or None while its app has not defined it yet."""
    try:
        return apps.get_model(label)
    except LookupError:
        return None


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Params:
    """What a computation is for: the year, the region, optionally a municipality, the date."""

    year: int
    region: Region
    municipality: Municipality | None
    as_of: datetime.date

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def year_end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def scope_label(self) -> str:
        return self.municipality.name if self.municipality else self.region.name

    def scope_json(self) -> dict[str, Any]:
        if self.municipality is not None:
            return {
                "level": "municipality",
                "id": self.municipality.pk,
                "name": self.municipality.name,
            }
        return {"level": "region", "id": self.region.pk, "name": self.region.name}


def default_as_of(year: int, today: datetime.date | None = None) -> datetime.date:
    """31 December of the year, or today for the current year."""
    today = today or timezone.localdate()
    return today if year == today.year else datetime.date(year, 12, 31)


def parse_year(raw: Any) -> int:
    """A reporting year from 2020 to next year, or a ValidationError in Russian."""
    today = timezone.localdate()
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Укажите год числом, например 2023.")}) from None
    if year < MIN_YEAR or year > today.year + 1:
        raise ValidationError(
            {
                "year": _("Год должен быть от %(low)s до %(high)s.")
                % {"low": MIN_YEAR, "high": today.year + 1}
            }
        )
    return year


def parse_as_of(raw: Any, year: int) -> datetime.date:
    """The as-of date inside the year (default 31 December, or today in the current year)."""
    if raw in (None, ""):
        return default_as_of(year)
    if isinstance(raw, datetime.date):
        day = raw
    else:
        try:
            day = datetime.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ValidationError({"as_of": _("Дата должна быть в формате ГГГГ-ММ-ДД.")}) from None
    if day.year != year:
        raise ValidationError({"as_of": _("Дата расчёта должна быть внутри отчётного года.")})
    return day


def resolve_params(*, user: Any, year: Any, municipality: Any = None, as_of: Any = None) -> Params:
    """Validate the inputs against the user's scope; municipal coordinators get their own."""
    errors: dict[str, Any] = {}
    parsed_year: int | None = None
    try:
        parsed_year = parse_year(year)
    except ValidationError as error:
        errors.update(error.message_dict)
    scope = scope_of(user)
    if scope.level in (Level.NONE, Level.ORGANIZATION, Level.PERSON):
        raise PermissionDenied(_("Показатели доступны региону и муниципалитетам."))
    chosen: Municipality | None = None
    visible = Municipality.objects.for_user(user).select_related("region")
    if municipality not in (None, ""):
        try:
            municipality_id = int(str(municipality))
        except ValueError:
            municipality_id = None
        chosen = visible.filter(pk=municipality_id).first() if municipality_id else None
        if chosen is None:
            errors["municipality"] = [_("Муниципалитет не найден или недоступен вам.")]
    elif scope.level == Level.MUNICIPALITY:
        chosen = visible.first()
    parsed_as_of: datetime.date | None = None
    if parsed_year is not None:
        try:
            parsed_as_of = parse_as_of(as_of, parsed_year)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    assert parsed_year is not None and parsed_as_of is not None
    if chosen is not None:
        region = chosen.region
    elif scope.level == Level.REGION and scope.node_id is not None:
        region = Region.objects.get(pk=scope.node_id)
    else:
        found = Region.objects.for_user(user).first()
        if found is None:
            raise ValidationError({"municipality": [_("Нет ни одного региона.")]})
        region = found
    return Params(year=parsed_year, region=region, municipality=chosen, as_of=parsed_as_of)


# --------------------------------------------------------------------------- result


@dataclass
class Figure:
    """One indicator for one scope."""

    code: str
    numerator: int | None
    denominator: int | None
    target: Decimal | None = None
    target_unit: str = Unit.SHARE
    status: str = Status.NO_TARGET
    forecast: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(IndicatorCode(self.code).label)

    @property
    def definition(self) -> str:
        return str(DEFINITIONS[self.code])

    @property
    def unit(self) -> str:
        return UNITS[self.code]

    @property
    def value(self) -> float | int | None:
        if self.numerator is None:
            return None
        if self.unit == Unit.COUNT:
            return self.numerator
        if not self.denominator:
            return None
        return round(self.numerator / self.denominator, 4)

    @property
    def percent(self) -> float | None:
        value = self.value
        return None if value is None or self.unit == Unit.COUNT else round(value * 100, 1)

    @property
    def target_json(self) -> float | int | None:
        if self.target is None:
            return None
        if self.target_unit == Unit.COUNT:
            return int(self.target)
        return float(self.target / 100)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "unit": self.unit,
            "target": self.target_json,
            "status": self.status,
        }


def _status(figure: Figure, params: Params) -> tuple[str, float | None]:
    """Met / not met / at risk (current year, forecast misses) / no target / no data."""
    if figure.numerator is None:
        return Status.NO_DATA, None
    if figure.target is None:
        return Status.NO_TARGET, None
    compare_count = figure.target_unit == Unit.COUNT
    current = figure.numerator if compare_count else figure.value
    if current is None:
        return Status.NO_DATA, None
    goal = float(figure.target) if compare_count else float(figure.target) / 100
    forecast: float | None = None
    today = timezone.localdate()
    if params.year == today.year and params.as_of < params.year_end:
        forecast = float(current)
        if figure.code in FLOW_INDICATORS:
            elapsed = (params.as_of - params.year_start).days + 1
            total = 366 if calendar.isleap(params.year) else 365
            forecast = float(current) * total / elapsed
            if not compare_count:
                forecast = min(forecast, 1.0)
    if current >= goal:
        return Status.MET, forecast
    if forecast is not None and forecast < goal:
        return Status.AT_RISK, forecast
    return Status.NOT_MET, forecast


def targets_for(year: int) -> dict[str, Target]:
    return {target.indicator: target for target in Target.objects.filter(year=year)}


def _finish(code: str, pair: CountPair, params: Params, targets: dict[str, Target]) -> Figure:
    target = targets.get(code)
    figure = Figure(
        code=code,
        numerator=pair[0],
        denominator=None if code == "4" else pair[1],
        target=target.value if target else None,
        target_unit=target.unit if target else UNITS[code],
    )
    figure.status, figure.forecast = _status(figure, params)
    return figure


# --------------------------------------------------------------------------- base sets


def _school_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}kind": OrganizationKind.SCHOOL, f"{prefix}is_active": True})


def teacher_employments(params: Params, *, whole_region: bool = False) -> QuerySet[Employment]:
    """Employments that make someone a teacher of the scope on the as-of date."""
    queryset = Employment.objects.filter(
        active_employment_q("", params.as_of),
        _school_q("organization__"),
        organization__region=params.region,
    )
    if params.municipality is not None and not whole_region:
        queryset = queryset.filter(organization__municipality=params.municipality)
    return queryset


def schools(params: Params, *, whole_region: bool = False) -> QuerySet[Organization]:
    """General-education organizations of the scope."""
    queryset = Organization.objects.filter(_school_q(), region=params.region)
    if params.municipality is not None and not whole_region:
        queryset = queryset.filter(municipality=params.municipality)
    return queryset


def center_staff(params: Params) -> QuerySet[CenterStaff]:
    """Center staff active on the as-of date (the Center is regional)."""
    return CenterStaff.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=params.as_of),
        organization__region=params.region,
        start_date__lte=params.as_of,
    )


# --------------------------------------------------------------------------- numerator conditions
# Each takes the name of the outer reference to the teacher / organization / staff member.


def _route_q(params: Params, teacher_ref: str) -> Q | None:
    route = _model("learning.Route")
    if route is None:
        return None
    return Q(
        Exists(
            route.objects.filter(
                teacher=OuterRef(teacher_ref),
                developed_on__gte=params.year_start,
                developed_on__lte=params.as_of,
                status__in=ROUTE_COUNTED_STATUSES,
            )
        )
    )


def _center_course_q(params: Params, teacher_ref: str) -> Q | None:
    enrollment = _model("learning.Enrollment")
    if enrollment is None:
        return None
    return Q(
        Exists(
            enrollment.objects.filter(
                teacher=OuterRef(teacher_ref),
                status="completed",
                completion_date__gte=params.year_start,
                completion_date__lte=params.as_of,
                cohort__program__provider="center",
            )
        )
    )


def _staff_trained_q(params: Params) -> Q | None:
    training = _model("learning.StaffTraining")
    if training is None:
        return None
    return Q(
        Exists(
            training.objects.filter(
                staff=OuterRef("pk"), completed_on__isnull=False, completed_on__lte=params.as_of
            )
        )
    )


def _management_course_q(params: Params) -> Q | None:
    enrollment = _model("learning.Enrollment")
    if enrollment is None:
        return None
    # Driven from the school's management employments (an index on the organization), each
    # checked for a completion inside its own dates: SQLite otherwise walks every completion of
    # the year for every school.
    completions = enrollment.objects.filter(
        teacher=OuterRef("teacher"),
        completion_date__gte=params.year_start,
        completion_date__lte=params.as_of,
        status="completed",
        cohort__program__audience="management",
    ).filter(
        completion_date__gte=OuterRef("start_date"),
        completion_date__lte=Coalesce(OuterRef("end_date"), Value(params.as_of)),
    )
    managers = Employment.objects.filter(
        Q(is_management=True) | Q(position__in=MANAGEMENT_POSITIONS),
        Exists(completions),
        organization=OuterRef("pk"),
    )
    return Q(Exists(managers))


def _mentorship_model_q(params: Params) -> Q | None:
    try:
        from profdev.mentorship.rules import implementing_schools_condition
    except ImportError:
        return None
    condition: Q = implementing_schools_condition(params.year)
    return condition


def _management_mentoring_q(params: Params) -> Q | None:
    mentoring = _model("mentorship.ManagementMentoring")
    if mentoring is None:
        return None
    links = mentoring.objects.filter(
        Q(mentor_organization=OuterRef("pk")) | Q(mentee_organization=OuterRef("pk")),
        Q(end_date__isnull=True) | Q(end_date__gte=params.year_start),
        start_date__lte=params.as_of,
    )
    return Q(Exists(links))


def regional_events(params: Params) -> Any:
    """Regional-level events started in the year up to the as-of date (region-wide)."""
    event = _model("events.Event")
    if event is None:
        return None
    queryset = event.objects.filter(
        level="regional", start_date__gte=params.year_start, start_date__lte=params.as_of
    )
    names = {f.name for f in event._meta.get_fields()}
    if "region" in names:
        queryset = queryset.filter(region=params.region)
    elif "organizer" in names and event._meta.get_field("organizer").is_relation:
        queryset = queryset.filter(organizer__region=params.region)
    return queryset


def _event_in_municipality_q(params: Params, municipality_ref: Any) -> Q | None:
    """The event had a participant organization or teacher (employed on the as-of date) there."""
    participation = _model("events.EventParticipation")
    if participation is None:
        return None
    # One level deeper than the participation: an outer reference must reach one more level out.
    deeper = (
        OuterRef(municipality_ref) if isinstance(municipality_ref, OuterRef) else municipality_ref
    )
    employed = Employment.objects.filter(
        active_employment_q("", params.as_of),
        teacher=OuterRef("teacher"),
        **{"organization__municipality": deeper},
    )
    return Q(
        Exists(
            participation.objects.filter(event=OuterRef("pk")).filter(
                Q(organization__municipality=municipality_ref) | Q(Exists(employed))
            )
        )
    )


# --------------------------------------------------------------------------- aggregates


def _annotations(counted: str, conditions: dict[str, Q | None], distinct: bool) -> dict[str, Any]:
    """One denominator and one filtered count per indicator sharing the same base set."""
    annotations: dict[str, Any] = {"den": Count(counted, distinct=distinct)}
    for code, condition in conditions.items():
        if condition is not None:
            annotations[f"num_{code}"] = Count(counted, distinct=distinct, filter=condition)
    return annotations


def _pairs(
    queryset: QuerySet[Any], counted: str, conditions: dict[str, Q | None], *, distinct: bool
) -> dict[str, CountPair]:
    """Indicators over one base set (teachers or schools) in a single aggregate query."""
    row = queryset.aggregate(**_annotations(counted, conditions, distinct))
    return {code: (row.get(f"num_{code}"), row["den"]) for code in conditions}


def _grouped(
    queryset: QuerySet[Any],
    group: str,
    counted: str,
    conditions: dict[str, Q | None],
    *,
    distinct: bool,
) -> dict[str, dict[int, CountPair]]:
    """The same, per municipality, in a single GROUP BY query."""
    rows = queryset.values(group).annotate(**_annotations(counted, conditions, distinct)).order_by()
    result: dict[str, dict[int, CountPair]] = {code: {} for code in conditions}
    for row in rows:
        for code in conditions:
            result[code][row[group]] = (row.get(f"num_{code}"), row["den"])
    return result


def _staff_pair(params: Params) -> CountPair:
    condition = _staff_trained_q(params)
    if condition is None:
        return None, center_staff(params).count()
    row = center_staff(params).aggregate(den=Count("pk"), num=Count("pk", filter=condition))
    return row["num"], row["den"]


def _event_count(params: Params) -> CountPair:
    events = regional_events(params)
    if events is None:
        return None, None
    if params.municipality is not None:
        condition = _event_in_municipality_q(params, params.municipality.pk)
        if condition is None:
            return None, None
        events = events.filter(condition)
    return events.count(), None


def _event_breakdown(params: Params) -> dict[int, CountPair]:
    """Events per municipality from two flat queries of (event, municipality) pairs.

    Same rule as `_event_in_municipality_q`: a participant organization there, or a
    participant teacher with an employment there active on the as-of date.
    """
    events = regional_events(params)
    participation = _model("events.EventParticipation")
    if events is None or participation is None:
        return {}
    chosen = participation.objects.filter(event__in=events.values("pk"))
    via_organizations = chosen.filter(organization__isnull=False).values_list(
        "event_id", "organization__municipality_id"
    )
    via_teachers = chosen.filter(
        active_employment_q("teacher__employments__", params.as_of)
    ).values_list("event_id", "teacher__employments__organization__municipality_id")
    pairs = set(via_organizations.distinct()) | set(via_teachers.distinct())
    counts: dict[int, int] = {}
    for _event, municipality in pairs:
        counts[municipality] = counts.get(municipality, 0) + 1
    return {municipality: (count, None) for municipality, count in counts.items()}


# --------------------------------------------------------------------------- public API


def compute_direct(params: Params, targets: dict[str, Target] | None = None) -> list[Figure]:
    """All seven indicators for the scope of `params`: a fixed number of queries, no cache."""
    targets = targets if targets is not None else targets_for(params.year)
    region_params = Params(params.year, params.region, None, params.as_of)
    pairs: dict[str, CountPair] = {
        **_pairs(
            teacher_employments(params),
            "teacher",
            {"1": _route_q(params, "teacher"), "2": _center_course_q(params, "teacher")},
            distinct=True,
        ),
        "3": _staff_pair(region_params),
        "4": _event_count(params),
        **_pairs(
            schools(params),
            "pk",
            {
                "5": _management_course_q(params),
                "6": _mentorship_model_q(params),
                "7": _management_mentoring_q(params),
            },
            distinct=False,
        ),
    }
    return [_finish(code, pairs[code], params, targets) for code in IndicatorCode.values]


@dataclass
class BreakdownRow:
    municipality: Municipality
    figures: list[Figure]


def breakdown_direct(
    params: Params, targets: dict[str, Target] | None = None
) -> list[BreakdownRow]:
    """The seven indicators for every municipality of the region, by GROUP BY, not by a loop."""
    targets = targets if targets is not None else targets_for(params.year)
    region_params = Params(params.year, params.region, None, params.as_of)
    staff = _staff_pair(region_params)
    by_code: dict[str, dict[int, CountPair]] = {
        **_grouped(
            teacher_employments(region_params),
            "organization__municipality",
            "teacher",
            {
                "1": _route_q(region_params, "teacher"),
                "2": _center_course_q(region_params, "teacher"),
            },
            distinct=True,
        ),
        "4": _event_breakdown(region_params),
        **_grouped(
            schools(region_params),
            "municipality",
            "pk",
            {
                "5": _management_course_q(region_params),
                "6": _mentorship_model_q(region_params),
                "7": _management_mentoring_q(region_params),
            },
            distinct=False,
        ),
    }
    sources_missing = {
        "1": _model("learning.Route") is None,
        "2": _model("learning.Enrollment") is None,
        "4": _model("events.Event") is None,
        "5": _model("learning.Enrollment") is None,
        "6": _mentorship_model_q(region_params) is None,
        "7": _model("mentorship.ManagementMentoring") is None,
    }
    municipalities = Municipality.objects.filter(region=params.region).order_by("name")
    if params.municipality is not None:
        municipalities = municipalities.filter(pk=params.municipality.pk)
    rows = []
    for municipality in municipalities:
        local = Params(params.year, params.region, municipality, params.as_of)
        figures = []
        for code in IndicatorCode.values:
            if code == "3":
                pair: CountPair = staff
            else:
                numerator = None if sources_missing[code] else 0
                default: CountPair = (numerator, None if code == "4" else 0)
                pair = by_code[code].get(municipality.pk, default)
            figures.append(_finish(code, pair, local, targets))
        rows.append(BreakdownRow(municipality=municipality, figures=figures))
    return rows


# --------------------------------------------------------------------------- cache

CACHE_SECONDS = 3600


def data_stamp() -> tuple[int, ...] | None:
    """The change stamps of the source tables (see `DataVersion`), or None when unusable."""
    try:
        stamps = tuple(DataVersion.objects.order_by("id").values_list("stamp", flat=True))
    except DatabaseError:  # the table is missing (a database before migration 0003)
        return None
    return stamps if len(stamps) == DATA_VERSION_SHARDS else None


def _cache_key(kind: str, params: Params, stamps: tuple[int, ...]) -> str:
    database = connection.settings_dict
    parts = (
        database.get("HOST"),
        database.get("PORT"),
        str(database.get("NAME")),  # two databases may share one Redis
        kind,
        params.year,
        params.region.pk,
        params.municipality.pk if params.municipality else 0,
        params.as_of.isoformat(),
        timezone.localdate().isoformat(),  # statuses and forecasts depend on today
        stamps,
    )
    return "indicators:" + hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


def _cached(kind: str, params: Params, direct: Callable[[], Any]) -> Any:
    """The figures from the cache when no source table changed since they were computed.

    The stamps are read before computing: a write committed meanwhile changes them, so a result
    can only be stored under stamps that are already out of date, never served stale.
    """
    stamps = data_stamp()
    if stamps is None:
        return direct()
    key = _cache_key(kind, params, stamps)
    found = cache.get(key)
    if found is not None:
        return found
    result = direct()
    cache.set(key, result, CACHE_SECONDS)
    return result


def compute(params: Params, targets: dict[str, Target] | None = None) -> list[Figure]:
    """All seven indicators for the scope of `params` (cached while the sources do not change)."""
    if targets is not None:
        return compute_direct(params, targets)
    result: list[Figure] = _cached("compute", params, lambda: compute_direct(params))
    return result


def breakdown(params: Params, targets: dict[str, Target] | None = None) -> list[BreakdownRow]:
    """The seven indicators for every municipality of the region (cached like `compute`)."""
    if targets is not None:
        return breakdown_direct(params, targets)
    result: list[BreakdownRow] = _cached("breakdown", params, lambda: breakdown_direct(params))
    return result


def trend(params: Params, years: int = 4) -> dict[str, list[tuple[int, float | int | None]]]:
    """Values of each indicator over the last `years` years up to the selected one."""
    today = timezone.localdate()
    series: dict[str, list[tuple[int, float | int | None]]] = {c: [] for c in IndicatorCode.values}
    for year in range(max(MIN_YEAR, params.year - years + 1), params.year + 1):
        as_of = params.as_of if year == params.year else default_as_of(year, today)
        figures = compute(Params(year, params.region, params.municipality, as_of))
        for figure in figures:
            series[figure.code].append((year, figure.value))
    return series


def as_json(params: Params, figures: list[Figure]) -> dict[str, Any]:
    """The shape shared by the API and the command."""
    return {
        "year": params.year,
        "as_of": params.as_of.isoformat(),
        "scope": params.scope_json(),
        "indicators": [figure.as_json() for figure in figures],
    }


# --------------------------------------------------------------------------- drill-down


@dataclass(frozen=True)
class DrillDown:
    """What a figure counts and what its denominator holds that the numerator does not."""

    kind: str  # "teacher" | "staff" | "event" | "organization"
    counted: Any
    missing: Any


def drill_down(params: Params, code: str) -> DrillDown:
    """Querysets (unscoped; views intersect them with `for_user`) behind one figure."""
    if code not in IndicatorCode.values:
        raise ValidationError({"code": _("Неизвестный показатель.")})
    region_params = Params(params.year, params.region, None, params.as_of)
    if code in ("1", "2"):
        in_scope = Teacher.objects.filter(
            Exists(teacher_employments(params).filter(teacher=OuterRef("pk")))
        )
        maker: Callable[[Params, str], Q | None] = _route_q if code == "1" else _center_course_q
        condition = maker(params, "pk")
        if condition is None:
            return DrillDown("teacher", Teacher.objects.none(), in_scope)
        return DrillDown("teacher", in_scope.filter(condition), in_scope.exclude(condition))
    if code == "3":
        staff = center_staff(region_params)
        condition = _staff_trained_q(region_params)
        if condition is None:
            return DrillDown("staff", CenterStaff.objects.none(), staff)
        return DrillDown("staff", staff.filter(condition), staff.exclude(condition))
    if code == "4":
        events = regional_events(params)
        if events is None:
            return DrillDown("event", [], [])
        if params.municipality is not None:
            where = _event_in_municipality_q(params, params.municipality.pk)
            if where is not None:
                events = events.filter(where)
        return DrillDown("event", events, events.none())
    makers: dict[str, Callable[[Params], Q | None]] = {
        "5": _management_course_q,
        "6": _mentorship_model_q,
        "7": _management_mentoring_q,
    }
    base = schools(params).select_related("municipality")
    condition = makers[code](params)
    if condition is None:
        return DrillDown("organization", Organization.objects.none(), base)
    return DrillDown("organization", base.filter(condition), base.exclude(condition))


def _display(value: float | int | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == Unit.COUNT:
        return str(int(value))
    return f"{value * 100:.1f} %".replace(".", ",")


def report_rows(*, year: int, region: Region | None) -> list[list[Any]] | None:
    """Rows [code, title, value, target] for the analytical report of a region's year."""
    if region is None:
        return None
    params = Params(year=year, region=region, municipality=None, as_of=default_as_of(year))
    return [
        [
            figure.code,
            figure.title,
            _display(figure.value, figure.unit),
            _display(figure.target_json, figure.target_unit),
        ]
        for figure in compute(params)
    ]
