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
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
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

from profdev.common.cache_keys import database_key
from profdev.common.process_cache import ProcessCache
from profdev.indicators import steps
from profdev.indicators.choices import IndicatorCode, Status, Unit
from profdev.indicators.models import (
    DATA_VERSION_SHARDS,
    MIN_YEAR,
    DataVersion,
    RegionVersion,
    Target,
)
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

CODES: tuple[str, ...] = tuple(IndicatorCode.values)  # "1".."7" (Enum lookups are slow in loops)

UNITS: dict[str, str] = {code: Unit.SHARE.value for code in CODES} | {"4": Unit.COUNT.value}

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


def _status(figure: Figure, params: Params, today: datetime.date) -> tuple[str, float | None]:
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


def _finish(
    code: str,
    pair: CountPair,
    params: Params,
    targets: dict[str, Target],
    today: datetime.date | None = None,
) -> Figure:
    """The figure of a pair. `today`: the local date, when the caller builds many figures (read
    once: `timezone.localdate` costs more than the rest of a figure, 17,000 for the country)."""
    target = targets.get(code)
    figure = Figure(
        code=code,
        numerator=pair[0],
        denominator=None if code == "4" else pair[1],
        target=target.value if target else None,
        target_unit=target.unit if target else UNITS[code],
    )
    figure.status, figure.forecast = _status(figure, params, today or timezone.localdate())
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


def _mentorship_rule() -> Callable[[int], Q] | None:
    try:
        from profdev.mentorship.rules import implementing_schools_condition
    except ImportError:
        return None
    return implementing_schools_condition


def _mentorship_model_q(params: Params) -> Q | None:
    rule = _mentorship_rule()
    return None if rule is None else rule(params.year)


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


# --------------------------------------------------------------------------- per-scope ORM path
# The obvious computation, one aggregate query set per scope: the benchmark's baseline and the
# independent reference the set-based path below is tested against.


def compute_orm(params: Params, targets: dict[str, Target] | None = None) -> list[Figure]:
    """All seven indicators for the scope of `params` from per-scope ORM aggregates."""
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
    return [_finish(code, pairs[code], params, targets) for code in CODES]


@dataclass
class BreakdownRow:
    municipality: Municipality
    figures: list[Figure]


def breakdown_orm(params: Params, targets: dict[str, Target] | None = None) -> list[BreakdownRow]:
    """The seven indicators for every municipality of the region, one GROUP BY per base set."""
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
    missing = _sources_missing(region_params)
    municipalities = Municipality.objects.filter(region=params.region).order_by("name")
    if params.municipality is not None:
        municipalities = municipalities.filter(pk=params.municipality.pk)
    rows = []
    for municipality in municipalities:
        local = Params(params.year, params.region, municipality, params.as_of)
        figures = []
        for code in CODES:
            pair = (
                staff if code == "3" else by_code[code].get(municipality.pk, _empty(code, missing))
            )
            figures.append(_finish(code, pair, local, targets))
        rows.append(BreakdownRow(municipality=municipality, figures=figures))
    return rows


def _sources_missing(params: Params) -> dict[str, bool]:
    return {
        "1": _model("learning.Route") is None,
        "2": _model("learning.Enrollment") is None,
        "3": _model("learning.StaffTraining") is None,
        "4": _model("events.Event") is None,
        "5": _model("learning.Enrollment") is None,
        "6": _mentorship_rule() is None,
        "7": _model("mentorship.ManagementMentoring") is None,
    }


def _empty(code: str, missing: dict[str, bool]) -> CountPair:
    """The pair of a scope with no row in a GROUP BY: zero (or "no data" without a source)."""
    return (None if missing[code] else 0, None if code == "4" else 0)


# --------------------------------------------------------------------------- set-based path


@dataclass
class RegionCounts:
    """Numerators and denominators of one region and each of its municipalities, and what is
    needed to turn them into figures (the region's municipalities, the year's targets)."""

    region: dict[str, CountPair]
    by_municipality: dict[int, dict[str, CountPair]]
    municipalities: list[Municipality]
    targets: dict[str, Target]
    missing: dict[str, bool]

    def pairs_for(self, municipality: Municipality | None) -> dict[str, CountPair]:
        if municipality is None:
            return self.region
        found = self.by_municipality.get(municipality.pk, {})
        return {
            code: self.region["3"] if code == "3" else found.get(code, _empty(code, self.missing))
            for code in CODES
        }


# From this many regions on, one hashed pass over the year's routes and completions beats probing
# them teacher by teacher through the index.
HASH_FROM_REGIONS = 8

ROUTE_WHERE = "x.developed_on >= %s AND x.developed_on <= %s AND x.status IN (%s, %s, %s)"
COURSE_FROM = (
    "{enrollment} x JOIN {cohort} co ON co.id = x.cohort_id "
    "JOIN {program} pr ON pr.id = co.program_id"
)
COURSE_WHERE = (
    "pr.provider = %s AND x.status = %s AND x.completion_date >= %s AND x.completion_date <= %s"
)
# PostgreSQL: one pass over the scope's active school employments, each with two flags (a route /
# a Center course in the year), counted distinct per municipality and per region by GROUPING
# SETS, instead of materializing the distinct (region, municipality, teacher) triples and hashing
# them twice (one region 100–145 ms instead of 150–210 at load 2; the country 5–8 s instead of
# 8.6 s at load 4–6, decision 0005). The flags:
# - "probed" (a few regions): each employment probes the routes' and enrollments' teacher
#   indexes, LATERAL ... LIMIT 1 so PostgreSQL keeps them probes instead of hashing the year;
# - "hashed" (many regions): the year's routed and trained teachers as two DISTINCT sets, hashed
#   once (DISTINCT tells PostgreSQL they are unique, so it estimates the joins right).
GROUPED_SQL = """
SELECT CASE WHEN GROUPING(o.municipality_id) = 0 THEN 'm' ELSE 'r' END,
       o.region_id, o.municipality_id, COUNT(DISTINCT e.teacher_id),
       COUNT(DISTINCT e.teacher_id) FILTER (WHERE r.hit IS NOT NULL),
       COUNT(DISTINCT e.teacher_id) FILTER (WHERE c.hit IS NOT NULL)
  FROM {employment} e JOIN {organization} o ON o.id = e.organization_id
  {flags}
 WHERE o.region_id IN ({regions}) AND o.kind = %s AND o.is_active
   AND e.start_date <= %s AND (e.end_date IS NULL OR e.end_date >= %s)
 GROUP BY GROUPING SETS ((o.region_id, o.municipality_id), (o.region_id))
"""
PROBED_FLAGS = f"""
  LEFT JOIN LATERAL (SELECT 1 AS hit FROM {{route}} x
                      WHERE x.teacher_id = e.teacher_id AND {ROUTE_WHERE} LIMIT 1) AS r ON TRUE
  LEFT JOIN LATERAL (SELECT 1 AS hit FROM {COURSE_FROM}
                      WHERE x.teacher_id = e.teacher_id AND {COURSE_WHERE} LIMIT 1) AS c ON TRUE
"""
HASHED_FLAGS = f"""
  LEFT JOIN (SELECT DISTINCT x.teacher_id AS hit FROM {{route}} x WHERE {ROUTE_WHERE}) AS r
         ON r.hit = e.teacher_id
  LEFT JOIN (SELECT DISTINCT x.teacher_id AS hit FROM {COURSE_FROM} WHERE {COURSE_WHERE}) AS c
         ON c.hit = e.teacher_id
"""


# SQLite (no GROUPING SETS; any data set where the year's routes and completions are few next to
# the teachers):
# the denominators by COUNT(DISTINCT) straight off the employments' covering index, in
# organization order so the municipality GROUP BY needs no sort; the numerators driven from the
# year's routed / trained teachers (about a tenth of the teachers), each probed back into its
# employments. Per teacher that is one index entry and one b-tree insert, instead of a
# materialized row, two correlated probes and three sorts (44–51 ms → 20 ms on the demo region
# at load 2.6).
# CROSS JOIN fixes SQLite's join order: from the small set into the employments.
SETS_EMPLOYED = """
    o.region_id IN ({regions}) AND o.kind = %s AND o.is_active
    AND e.start_date <= %s AND (e.end_date IS NULL OR e.end_date >= %s)
"""
SETS_SQL = """
WITH r AS MATERIALIZED (SELECT DISTINCT x.teacher_id FROM {route} x WHERE {route_where}),
c AS MATERIALIZED (SELECT DISTINCT x.teacher_id FROM {course_from} WHERE {course_where})
SELECT 'm', 0, o.region_id, o.municipality_id, COUNT(DISTINCT e.teacher_id)
  FROM {organization} o JOIN {employment} e ON e.organization_id = o.id
 WHERE {employed} GROUP BY o.region_id, o.municipality_id
UNION ALL
SELECT 'r', 0, o.region_id, NULL, COUNT(DISTINCT e.teacher_id)
  FROM {organization} o JOIN {employment} e ON e.organization_id = o.id
 WHERE {employed} GROUP BY o.region_id
UNION ALL {numerators}
"""
SETS_NUMERATOR = """
SELECT '{level}', {flag}, o.region_id, {municipality}, COUNT(DISTINCT e.teacher_id)
  FROM {flagged} f CROSS JOIN {employment} e CROSS JOIN {organization} o
 WHERE e.teacher_id = f.teacher_id AND o.id = e.organization_id AND {employed}
 GROUP BY {group}
"""
# Which plan `_teacher_counts` uses; None: by database and number of regions (tests force each).
TEACHER_PLAN: str | None = None


def _teacher_plan(region_count: int) -> str:
    if TEACHER_PLAN is not None:
        return TEACHER_PLAN
    if connection.vendor != "postgresql":
        return "sets"
    return "hashed" if region_count >= HASH_FROM_REGIONS else "probed"


def _teacher_counts(
    year: int, as_of: datetime.date, region_ids: list[int]
) -> list[tuple[Any, ...]]:
    """Rows (level, region, municipality, teachers, with a route, with a course).

    Level "m" counts the distinct teachers of each municipality, level "r" those of each region
    (someone employed in two municipalities counts in each and once for the region).
    """
    plan = _teacher_plan(len(region_ids))
    route, enrollment = _model("learning.Route"), _model("learning.Enrollment")
    cohort, program = _model("learning.Cohort"), _model("learning.Program")
    tables = {
        "employment": Employment._meta.db_table,
        "organization": Organization._meta.db_table,
        "route": route._meta.db_table,
        "enrollment": enrollment._meta.db_table,
        "cohort": cohort._meta.db_table,
        "program": program._meta.db_table,
    }
    regions = ", ".join(["%s"] * len(region_ids))
    start = datetime.date(year, 1, 1)
    employed: list[Any] = [*region_ids, OrganizationKind.SCHOOL, as_of, as_of]
    route_args: list[Any] = [start, as_of, *ROUTE_COUNTED_STATUSES]
    course_args: list[Any] = ["center", "completed", start, as_of]
    if plan == "sets":
        return _teacher_counts_by_sets(tables, regions, employed, route_args, course_args)
    flags = {"hashed": HASHED_FLAGS, "probed": PROBED_FLAGS}[plan].format(**tables)
    sql = GROUPED_SQL.format(regions=regions, flags=flags, **tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*route_args, *course_args, *employed])
        return list(cursor.fetchall())


def _teacher_counts_by_sets(
    tables: dict[str, str],
    regions: str,
    employed: list[Any],
    route_args: list[Any],
    course_args: list[Any],
) -> list[tuple[Any, ...]]:
    where = SETS_EMPLOYED.format(regions=regions)
    numerators = []
    for flag, flagged in ((1, "r"), (2, "c")):
        for level, municipality, group in (
            ("m", "o.municipality_id", "o.region_id, o.municipality_id"),
            ("r", "NULL", "o.region_id"),
        ):
            numerators.append(
                SETS_NUMERATOR.format(
                    level=level,
                    flag=flag,
                    municipality=municipality,
                    flagged=flagged,
                    group=group,
                    employed=where,
                    **tables,
                )
            )
    sql = SETS_SQL.format(
        route_where=ROUTE_WHERE,
        course_from=COURSE_FROM.format(**tables),
        course_where=COURSE_WHERE,
        employed=where,
        numerators=" UNION ALL ".join(numerators),
        **tables,
    )
    args = [*route_args, *course_args, *employed, *employed, *(employed * 4)]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        fetched = cursor.fetchall()
    counts: dict[tuple[str, int, int | None], list[int]] = {}
    for level, flag, region_id, municipality_id, count in fetched:
        counts.setdefault((level, region_id, municipality_id), [0, 0, 0])[flag] = count
    return [(level, r, m, *values) for (level, r, m), values in counts.items()]


# Compiled statements of the set-based path, per process. Building and compiling the ORM
# expressions of indicators 3–7 (the mentorship rule, nested EXISTS) costs more than running them
# on the demo region (~12 ms against ~7), and their SQL depends only on the key: the database,
# the year, the date, the regions and the mentorship rule's settings row.
_STATEMENTS: ProcessCache[tuple[str, tuple[Any, ...], list[str]]] = ProcessCache(256)


def _fetch(key: tuple[Any, ...], build: Callable[[], QuerySet[Any]]) -> list[dict[str, Any]]:
    """Rows (by column name) of the `values()` query set `build()` makes, compiled once per
    `key`, which must determine its SQL."""

    def compile_statement() -> tuple[str, tuple[Any, ...], list[str]]:
        query = build().query
        sql, args = query.sql_with_params()
        return sql, args, [*query.values_select, *query.annotation_select]

    full = (connection.alias, connection.vendor, *key)
    sql, args, names = _STATEMENTS.get_or_make(full, compile_statement)
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _rule_key() -> tuple[Any, ...]:
    """What the mentorship rule's SQL depends on besides the year: its settings row."""
    try:
        from profdev.mentorship.models import MentorshipSettings
    except ImportError:
        return ()
    settings = MentorshipSettings.load()
    return tuple(getattr(settings, f.attname) for f in MentorshipSettings._meta.concrete_fields)


def _management_course_set_q(params: Params) -> Q | None:
    """Indicator 5 for the set-based path, driven from the year's management completions (a few
    hundred per region) into their teachers' management employments, instead of from every
    employment of every school as `_management_course_q` (the reference) does."""
    enrollment = _model("learning.Enrollment")
    if enrollment is None:
        return None
    completions = enrollment.objects.filter(
        completion_date__gte=params.year_start,
        completion_date__lte=params.as_of,
        status="completed",
        cohort__program__audience="management",
    )
    within = completions.filter(
        teacher=OuterRef("teacher"),
        completion_date__gte=OuterRef("start_date"),
        completion_date__lte=Coalesce(OuterRef("end_date"), Value(params.as_of)),
    )
    managers = Employment.objects.filter(
        Q(is_management=True) | Q(position__in=MANAGEMENT_POSITIONS),
        Exists(within),
        teacher__in=completions.values("teacher"),
    )
    return Q(pk__in=managers.values("organization"))


def _school_counts(
    params: Params, region_ids: list[int], rule: tuple[Any, ...]
) -> list[dict[str, Any]]:
    """Schools per (region, municipality) with indicators 5–7, one GROUP BY for all regions.

    Indicator 5 follows the teacher plan: for a few regions on PostgreSQL each school's
    management employments are probed (the country's 10,000 management completions of the year
    cost 1.4 s to gather for one region's 500 schools); otherwise from the completions.
    """
    by_school = _teacher_plan(len(region_ids)) == "probed"

    def build() -> QuerySet[Any]:
        management = _management_course_q if by_school else _management_course_set_q
        conditions = {
            "5": management(params),
            "6": _mentorship_model_q(params),
            "7": _management_mentoring_q(params),
        }
        return (
            Organization.objects.filter(_school_q(), region__in=region_ids)
            .values("region", "municipality")
            .annotate(**_annotations("pk", conditions, distinct=False))
            .order_by()
        )

    key = ("schools", by_school, params.year, params.as_of, tuple(region_ids), rule)
    return _fetch(key, build)


def _staff_counts(params: Params, region_ids: list[int]) -> dict[int, CountPair]:
    def build() -> QuerySet[Any]:
        condition = _staff_trained_q(params)
        staff = CenterStaff.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=params.as_of),
            organization__region__in=region_ids,
            start_date__lte=params.as_of,
        )
        annotations: dict[str, Any] = {"den": Count("pk")}
        if condition is not None:
            annotations["num"] = Count("pk", filter=condition)
        return staff.values("organization__region").annotate(**annotations).order_by()

    rows = _fetch(("staff", params.as_of, tuple(region_ids)), build)
    return {row["organization__region"]: (row.get("num"), row["den"]) for row in rows}


def _event_counts(
    params: Params, region_ids: list[int]
) -> tuple[dict[int, int], dict[tuple[int, int], int]]:
    """Regional events per region, and per (region, municipality) with the breakdown's rule."""
    event, participation = _model("events.Event"), _model("events.EventParticipation")
    if event is None or participation is None:
        return {}, {}

    def events() -> QuerySet[Any]:
        return event.objects.filter(
            level="regional",
            start_date__gte=params.year_start,
            start_date__lte=params.as_of,
            region__in=region_ids,
        )

    def chosen() -> QuerySet[Any]:
        return participation.objects.filter(event__in=events().values("pk"))

    key = (params.year, params.as_of, tuple(region_ids))
    per_region = {
        row["region"]: row["n"]
        for row in _fetch(
            ("events", *key), lambda: events().values("region").annotate(n=Count("pk")).order_by()
        )
    }
    via_organizations = _fetch(
        ("events-organizations", *key),
        lambda: (
            chosen()
            .filter(organization__isnull=False)
            .values("event__region_id", "event_id", "organization__municipality_id")
            .order_by()
            .distinct()
        ),
    )
    via_teachers = _fetch(
        ("events-teachers", *key),
        lambda: (
            chosen()
            .filter(active_employment_q("teacher__employments__", params.as_of))
            .values(
                "event__region_id",
                "event_id",
                "teacher__employments__organization__municipality_id",
            )
            .order_by()
            .distinct()
        ),
    )
    triples = {tuple(row.values()) for row in via_organizations}
    triples |= {tuple(row.values()) for row in via_teachers}
    per_municipality: dict[tuple[int, int], int] = {}
    for region_id, _event, municipality_id in triples:
        key_ = (region_id, municipality_id)
        per_municipality[key_] = per_municipality.get(key_, 0) + 1
    return per_region, per_municipality


def count_regions(
    year: int, as_of: datetime.date, region_ids: list[int], stamps: Stamps = None
) -> dict[int, RegionCounts]:
    """Every figure's numerator and denominator for the regions and all their municipalities.

    A fixed number of set-based queries whatever the number of regions (one per base set:
    teachers, schools, staff, events): the country costs a few scans of the source tables, not
    one query set per region or municipality. On PostgreSQL the regions whose count steps were
    built from their current stamps (`stamps` as the caller read them, else read here) are read
    from the steps instead, one index probe per node and series (decision 0012); the others are
    counted from the rows, and their steps queued for a rebuild.
    """
    region_ids = sorted(set(region_ids))
    if not region_ids:
        return {}
    targets = targets_for(year)
    params = Params(year, Region(pk=region_ids[0]), None, as_of)
    missing = _sources_missing(params)
    result: dict[int, RegionCounts] = {}
    municipalities = Municipality.objects.filter(region__in=region_ids).order_by("name")
    for region_id in region_ids:
        region_pairs: dict[str, CountPair] = {code: _empty(code, missing) for code in CODES}
        result[region_id] = RegionCounts(region_pairs, {}, [], targets, missing)
    for municipality in municipalities:
        result[municipality.region_id].municipalities.append(municipality)

    def local(region_id: int, municipality_id: int) -> dict[str, CountPair]:
        return result[region_id].by_municipality.setdefault(municipality_id, {})

    fresh: set[int] = set()  # regions read from their count steps
    # (a plan forced by the tests means the direct statements are what they test)
    if TEACHER_PLAN is None and steps.available() and not any(missing.values()):
        stamps = stamps or data_stamps(region_ids)
        if stamps is not None:
            fresh = set(steps.fresh_regions(year, region_ids, stamps))
            steps.schedule_rebuild([r for r in region_ids if r not in fresh])
    rest = [region_id for region_id in region_ids if region_id not in fresh]

    with transaction.atomic():
        if connection.vendor == "postgresql":
            # For these statements only: no JIT compilation (it costs more than these queries
            # run); room to hash the country's distinct teachers in memory; index probes priced
            # as on a cached database, else PostgreSQL hashes every target model and pair of the
            # country to check one region's 500 schools (230 ms instead of 60).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
                cursor.execute("SET LOCAL random_page_cost = 1.1")
        stepped = steps.read(year, as_of, sorted(fresh))
        teacher_rows, school_rows = stepped.teachers, stepped.schools
        events, events_local = stepped.events, stepped.events_local
        if rest:
            if not (missing["1"] or missing["2"]):
                teacher_rows += _teacher_counts(year, as_of, rest)
            school_rows += _school_counts(params, rest, _rule_key())
            counted_events, counted_local = _event_counts(params, rest)
            events.update(counted_events)
            events_local.update(counted_local)
        staff = _staff_counts(params, region_ids)
    for level, region_id, municipality_id, teachers, routed, trained in teacher_rows:
        target = result[region_id].region if level == "r" else local(region_id, municipality_id)
        target["1"] = (int(routed or 0), int(teachers))
        target["2"] = (int(trained or 0), int(teachers))
    for row in school_rows:
        pairs = local(row["region"], row["municipality"])
        totals = result[row["region"]].region
        for code in ("5", "6", "7"):
            numerator = None if missing[code] else row.get(f"num_{code}")
            pairs[code] = (numerator, row["den"])
            previous = totals[code]
            totals[code] = (
                None if numerator is None else (previous[0] or 0) + numerator,
                (previous[1] or 0) + row["den"],
            )
    for region_id, counts in result.items():
        counts.region["3"] = staff.get(region_id, (None if missing["3"] else 0, 0))
        if not missing["4"]:
            counts.region["4"] = (events.get(region_id, 0), None)
    for (region_id, municipality_id), count in events_local.items():
        if region_id in result:
            local(region_id, municipality_id)["4"] = (count, None)
    return result


def _figures(
    counts: RegionCounts, params: Params, today: datetime.date | None = None
) -> list[Figure]:
    pairs = counts.pairs_for(params.municipality)
    today = today or timezone.localdate()
    return [_finish(code, pairs[code], params, counts.targets, today) for code in CODES]


def _rows(counts: RegionCounts, params: Params) -> list[BreakdownRow]:
    today = timezone.localdate()
    rows = []
    for municipality in counts.municipalities:
        if params.municipality is not None and municipality.pk != params.municipality.pk:
            continue
        local = Params(params.year, params.region, municipality, params.as_of)
        rows.append(BreakdownRow(municipality, _figures(counts, local, today)))
    return rows


def _with_targets(counts: RegionCounts, targets: dict[str, Target] | None) -> RegionCounts:
    if targets is None:
        return counts
    return RegionCounts(
        counts.region, counts.by_municipality, counts.municipalities, targets, counts.missing
    )


def compute_direct(params: Params, targets: dict[str, Target] | None = None) -> list[Figure]:
    """All seven indicators for the scope of `params`: a fixed number of queries, no cache."""
    counts = count_regions(params.year, params.as_of, [params.region.pk])[params.region.pk]
    return _figures(_with_targets(counts, targets), params)


def breakdown_direct(
    params: Params, targets: dict[str, Target] | None = None
) -> list[BreakdownRow]:
    """The seven indicators for every municipality of the region, by GROUP BY, not by a loop."""
    counts = count_regions(params.year, params.as_of, [params.region.pk])[params.region.pk]
    return _rows(_with_targets(counts, targets), params)


# --------------------------------------------------------------------------- cache

CACHE_SECONDS = 3600


StampRows = tuple[tuple[int, int], ...]
# `DataVersion` rows from this id on are the targets' stamps (migration 0006).
TARGET_STAMPS = DATA_VERSION_SHARDS


def data_stamps(region_ids: list[int] | None) -> dict[int, tuple[StampRows, StampRows]] | None:
    """Per region, (the stamps of its counts, the targets' stamps): the first are the region's
    own (`RegionVersion`) and the global ones of its sources (`DataVersion` shards 0–15), the
    second the global stamps of the targets (`DataVersion` shards 16–31), which change the
    figures built from the counts but never the counts.

    One query; None when the stamp tables are missing (a database before migration 0004).
    `region_ids=None` reads every region's stamps.
    """
    version, regional = DataVersion._meta.db_table, RegionVersion._meta.db_table
    sql = f"SELECT 0, 0, id, stamp FROM {version} UNION ALL SELECT 1, region_id, id, stamp FROM {regional}"
    args: list[int] = []
    if region_ids is not None:
        sql += f" WHERE region_id IN ({', '.join(['%s'] * len(region_ids))})"
        args = list(region_ids)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            rows = cursor.fetchall()
    except DatabaseError:
        return None
    shared = tuple(
        sorted((row[2], row[3]) for row in rows if row[0] == 0 and row[2] < TARGET_STAMPS)
    )
    targets = tuple(
        sorted((row[2], row[3]) for row in rows if row[0] == 0 and row[2] >= TARGET_STAMPS)
    )
    per_region: dict[int, list[tuple[int, int]]] = {}
    for kind, region_id, row_id, stamp in rows:
        if kind == 1:
            per_region.setdefault(region_id, []).append((row_id, stamp))
    wanted = region_ids if region_ids is not None else list(per_region)
    return {
        region_id: (shared + tuple(sorted(per_region.get(region_id, []))), targets)
        for region_id in wanted
    }


def _cache_key(year: int, as_of: datetime.date, region_id: int, stamps: Any) -> str:
    return database_key("indicators", "region-counts", year, as_of.isoformat(), region_id, stamps)


# A region's counts are computed by one request at a time (`_count_once`): the others wait for
# them at most WAIT_SECONDS, then compute them themselves.
LOCK_SECONDS = 60
WAIT_SECONDS = 15.0
POLL_SECONDS = 0.02


def _count_once(
    year: int, as_of: datetime.date, keys: dict[int, str], stamps: Stamps = None
) -> dict[str, Any]:
    """The counts of the regions in `keys` (region id → cache key), stored in the cache, each
    computed once across threads and processes.

    After a write, every request for the region's figures misses the cache at once (a
    dashboard's four years, several officials, both app servers): each region's key is
    claimed with `cache.add`; a request that claims it computes and stores the counts, the
    others poll the cache for them. The key holds the stamps, so what they find is exactly
    what they would have computed.
    """

    def count_and_store(region_ids: list[int]) -> dict[str, Any]:
        fresh = count_regions(year, as_of, region_ids, stamps)
        counted = {keys[region_id]: fresh[region_id] for region_id in region_ids}
        cache.set_many(counted, CACHE_SECONDS)
        return counted

    claimed = [
        region_id for region_id, key in keys.items() if cache.add(f"{key}:lock", 1, LOCK_SECONDS)
    ]
    found: dict[str, Any] = {}
    try:
        if claimed:
            found = count_and_store(claimed)
    finally:
        cache.delete_many([f"{keys[region_id]}:lock" for region_id in claimed])
    waiting = [region_id for region_id in keys if region_id not in claimed]
    deadline = time.monotonic() + WAIT_SECONDS
    while waiting and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        polled = cache.get_many([k for r in waiting for k in (keys[r], f"{keys[r]}:lock")])
        found.update({keys[r]: polled[keys[r]] for r in waiting if keys[r] in polled})
        waiting = [r for r in waiting if keys[r] not in found]
        if any(f"{keys[r]}:lock" not in polled for r in waiting):
            break  # a claim ended without counts (its request failed): do not wait for it
    if waiting:  # the other request is slow or failed: compute them here
        found.update(count_and_store(waiting))
    return found


Built = tuple[list[Figure], list[BreakdownRow]]
# Figures already built from cached counts, per process (the statuses depend on today's date):
# the shared cache holds the counts, this saves unpickling them and building 17,000 figures
# for the country on every request. Same keys, so the same invalidation.
_BUILT: ProcessCache[Built] = ProcessCache(1024)


def _build(counts: RegionCounts, region: Region, year: int, as_of: datetime.date) -> Built:
    params = Params(year, region, None, as_of)
    return _figures(counts, params), _rows(counts, params)


def region_figures(year: int, as_of: datetime.date, regions: list[Region]) -> dict[int, Built]:
    """Each region's figures and municipality rows, from the cache where no write touched the
    region since they were computed; the other regions are computed together, set-based.

    The stamps are read before computing: a write committed meanwhile changes them, so a result
    can only be stored under stamps that are already out of date, never served stale.
    """
    return _region_figures(year, as_of, regions, data_stamps([region.pk for region in regions]))


Stamps = dict[int, tuple[StampRows, StampRows]] | None


def _region_figures(
    year: int, as_of: datetime.date, regions: list[Region], stamps: Stamps
) -> dict[int, Built]:
    """`region_figures` with the stamps already read (None: no stamp tables, compute directly)."""
    ids = [region.pk for region in regions]
    if stamps is None:
        counted = count_regions(year, as_of, ids)
        return {r.pk: _build(counted[r.pk], r, year, as_of) for r in regions}
    today = timezone.localdate()
    keys = {
        region_id: _cache_key(year, as_of, region_id, stamps[region_id][0]) for region_id in ids
    }
    result: dict[int, Built] = {}
    for region_id, key in keys.items():
        built = _BUILT.get((key, today, stamps[region_id][1]))
        if built is not None:
            result[region_id] = built
    missing = [region for region in regions if region.pk not in result]
    if not missing:
        return result
    found = cache.get_many([keys[region.pk] for region in missing])
    dirty = [region.pk for region in missing if keys[region.pk] not in found]
    if dirty:
        found.update(
            _count_once(year, as_of, {region_id: keys[region_id] for region_id in dirty}, stamps)
        )
    # The cached counts hold the targets of the moment they were counted: a target edit since
    # then changed the targets' stamps, not the counts' key, so the figures take today's.
    targets = targets_for(year)
    for region in missing:
        built = _build(_with_targets(found[keys[region.pk]], targets), region, year, as_of)
        _BUILT.put((keys[region.pk], today, stamps[region.pk][1]), built)
        result[region.pk] = built
    return result


def _scope_figures(params: Params, built: Built) -> list[Figure]:
    figures, rows = built
    if params.municipality is None:
        return list(figures)
    for row in rows:
        if row.municipality.pk == params.municipality.pk:
            return list(row.figures)
    return compute_direct(params)  # a municipality of another region


def _scope_rows(params: Params, built: Built) -> list[BreakdownRow]:
    rows = built[1]
    if params.municipality is None:
        return list(rows)
    return [row for row in rows if row.municipality.pk == params.municipality.pk]


def compute(params: Params, targets: dict[str, Target] | None = None) -> list[Figure]:
    """All seven indicators for the scope of `params` (cached while its region's sources and the
    shared ones do not change)."""
    if targets is not None:
        return compute_direct(params, targets)
    built = region_figures(params.year, params.as_of, [params.region])[params.region.pk]
    return _scope_figures(params, built)


def breakdown(params: Params, targets: dict[str, Target] | None = None) -> list[BreakdownRow]:
    """The seven indicators for every municipality of the region (cached like `compute`)."""
    if targets is not None:
        return breakdown_direct(params, targets)
    built = region_figures(params.year, params.as_of, [params.region])[params.region.pk]
    return _scope_rows(params, built)


@dataclass
class RegionFigures:
    region: Region
    figures: list[Figure]
    rows: list[BreakdownRow]


def compute_all(year: int, as_of: datetime.date, *, direct: bool = False) -> list[RegionFigures]:
    """Every region and every municipality of the country: one stamp query, the cache for the
    regions without a write, one set-based computation for the others (all of them if `direct`)."""
    regions = list(Region.objects.order_by("pk"))
    if direct:
        counted = count_regions(year, as_of, [region.pk for region in regions])
        built = {r.pk: _build(counted[r.pk], r, year, as_of) for r in regions}
    else:
        built = region_figures(year, as_of, regions)
    return [RegionFigures(r, list(built[r.pk][0]), list(built[r.pk][1])) for r in regions]


Series = dict[str, list[tuple[int, float | int | None]]]


def trend(params: Params, years: int = 4) -> Series:
    """Values of each indicator over the last `years` years up to the selected one."""
    return dashboard(params, years)[1]


def dashboard(
    params: Params,
    years: int = 4,
    stamps: dict[int, tuple[StampRows, StampRows]] | None = None,
) -> tuple[list[Figure], Series, list[BreakdownRow]]:
    """The figures, their trend over `years` years and the municipality rows of the scope, as
    `compute`, `trend` and `breakdown` give them, from one read of the region's stamps (the
    dashboard read them six times per request); `stamps`: that read (`data_stamps`) when the
    caller has made it already, before anything they key."""
    if stamps is None:
        stamps = data_stamps([params.region.pk])
    today = timezone.localdate()
    series: Series = {c: [] for c in CODES}
    built: Built | None = None
    for year in range(max(MIN_YEAR, params.year - years + 1), params.year + 1):
        as_of = params.as_of if year == params.year else default_as_of(year, today)
        year_built = _region_figures(year, as_of, [params.region], stamps)[params.region.pk]
        year_params = Params(year, params.region, params.municipality, as_of)
        for figure in _scope_figures(year_params, year_built):
            series[figure.code].append((year, figure.value))
        if year == params.year:
            built = year_built
    if built is None:  # a year before MIN_YEAR: the series is empty
        built = _region_figures(params.year, params.as_of, [params.region], stamps)[
            params.region.pk
        ]
    return _scope_figures(params, built), series, _scope_rows(params, built)


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
    if code not in CODES:
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
