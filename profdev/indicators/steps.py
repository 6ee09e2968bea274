"""The indicators' date-dependent counts as running totals over the date, per region
(decision 0012).

A count such as "teachers of a municipality active on date t" (indicators 1 and 2, with those
of them that have a route / a Center completion of the year up to t), "schools whose management
team completed a course in the year up to t" (5), "schools in management mentoring by t" (7) or
"regional events a municipality took part in by t" (4) changes only on the days an employment,
a flag, a link or an event starts or ends. `build` stores, per region, each node's count from
every such day on (`CountStep`), the counts that do not depend on the date (schools, and
indicator 6 per year) and the digest of the region's count stamps it was built from
(`CountStepBuild`). `read` takes a count with one index probe per node and series instead of
joining a million employments with the year's routes and completions; `compute.count_regions`
uses it only for the regions whose stamps are still the ones built from, so the figures stay
exactly those of the direct statements, and counts the other regions directly; a Celery task
rebuilds those (`schedule_rebuild`).

PostgreSQL only: the demo region on SQLite is counted directly in about 25 ms.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import inspect
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, IntegerChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profdev.common.cache_keys import database_key
from profdev.indicators.models import CountStep, CountStepBuild
from profdev.orgs.choices import OrganizationKind
from profdev.orgs.models import Municipality, Organization
from profdev.people.choices import MANAGEMENT_POSITIONS
from profdev.people.models import Employment

# An employment without an end lasts to this day (the day after it still fits in a date).
OPEN_END = datetime.date(9999, 12, 30)


class Series(IntegerChoices):
    """What a `CountStep` row counts. A municipality's series are even, the region's are the
    municipality's plus one (`READ_SQL` probes `series + level`)."""

    TEACHERS = 0, _("педагоги муниципалитета на дату")
    TEACHERS_REGION = 1, _("педагоги региона на дату")
    ROUTED = 2, _("педагоги муниципалитета с ИОМ года")
    ROUTED_REGION = 3, _("педагоги региона с ИОМ года")
    TRAINED = 4, _("педагоги муниципалитета, обученные ЦНППМ в году")
    TRAINED_REGION = 5, _("педагоги региона, обученные ЦНППМ в году")
    MANAGED = 6, _("ОО, управленческая команда которых обучена в году")
    MENTORING = 8, _("ОО в менторстве управленческих команд в году")
    EVENTS = 10, _("региональные мероприятия с участием муниципалитета")
    EVENTS_REGION = 11, _("региональные мероприятия региона")


def stamps_digest(stamps: Any) -> str:
    """The digest stored with a region's steps: of its count stamps (`compute.data_stamps`) and
    of the counting rules they were built by, so that a release changing a rule leaves every
    region out of date (counted from the rows, rebuilt) instead of serving the old rule."""
    return hashlib.sha256(repr((_rules(), stamps)).encode()).hexdigest()


@functools.cache
def _rules() -> str:
    from profdev.indicators import compute
    from profdev.mentorship import rules

    statements = (RUNNING, SPAN_DELTAS, MERGED, TEACHERS_SQL, SCHOOLS_SQL, EVENTS_SQL, READ_SQL)
    values = (compute.ROUTE_COUNTED_STATUSES, sorted(MANAGEMENT_POSITIONS), compute.MIN_YEAR)
    source = inspect.getsource(rules)  # indicator 6's rule, counted by the build
    return hashlib.sha256(repr((statements, values, source)).encode()).hexdigest()


def _tables() -> dict[str, str]:
    from profdev.indicators.compute import _model

    labels = {
        "route": "learning.Route",
        "enrollment": "learning.Enrollment",
        "cohort": "learning.Cohort",
        "program": "learning.Program",
        "mentoring": "mentorship.ManagementMentoring",
        "event": "events.Event",
        "participation": "events.EventParticipation",
    }
    return {
        "step": CountStep._meta.db_table,
        "employment": Employment._meta.db_table,
        "organization": Organization._meta.db_table,
        "municipality": Municipality._meta.db_table,
        **{name: _model(label)._meta.db_table for name, label in labels.items()},
    }


# Every statement below inserts one region's rows of some series: the days its count changes,
# each with the running total from that day on (`RUNNING`, over `deltas (node, series, year,
# day, delta)`), by the rules of the direct statements in `compute.py`.
RUNNING = """
INSERT INTO {step} (region_id, node, series, year, day, total)
{deltas}
SELECT %(region)s, node, series, year, day,
       SUM(delta) OVER (PARTITION BY node, series, year ORDER BY day)
  FROM (SELECT node, series, year, day, SUM(delta) AS delta FROM deltas
         GROUP BY node, series, year, day) AS summed
"""

# Spans `(node, series, year, s, e)` during which something counts once per node: +1 on the
# first day, -1 on the day after the last.
SPAN_DELTAS = """
deltas AS (
  SELECT node, series, year, s AS day, 1 AS delta FROM spans
  UNION ALL
  SELECT node, series, year, e + 1, -1 FROM spans WHERE e < %(open)s)
"""

# Merges each key's overlapping or touching spans of `{source} (key..., s, e)`, so that a teacher
# (an event) counts once per node however many employments (participants) put it there.
MERGED = """
previous AS (
  SELECT *, MAX(e) OVER (PARTITION BY {key} ORDER BY s
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end
    FROM {source}),
runs AS (
  SELECT *, COUNT(*) FILTER (WHERE previous_end IS NULL OR previous_end < s - 1)
                OVER (PARTITION BY {key} ORDER BY s) AS run
    FROM previous),
{name} AS MATERIALIZED (
  SELECT {key}, MIN(s) AS s, MAX(e) AS e FROM runs GROUP BY {key}, run)
"""

# Indicators 1 and 2: each teacher's school employments at the region's active schools, per
# municipality (level 0) and for the region (level 1), merged; each teacher's first counted
# route and first Center completion of every year (`flags`); the teacher counts in the
# denominator (year 0) over the merged employments, in a numerator of year Y from the flag's
# day to the employment's end within Y.
TEACHERS_SQL = (
    """
WITH s AS MATERIALIZED (
  SELECT e.teacher_id, o.municipality_id, e.start_date AS s, COALESCE(e.end_date, %(open)s) AS e
    FROM {employment} e JOIN {organization} o ON o.id = e.organization_id
   WHERE o.region_id = %(region)s AND o.kind = %(school)s AND o.is_active),
levels AS (
  SELECT 0 AS level, municipality_id AS node, teacher_id, s, e FROM s
  UNION ALL SELECT 1, %(region)s, teacher_id, s, e FROM s),
"""
    + MERGED.format(key="level, node, teacher_id", source="levels", name="iv")
    + """,
flags AS MATERIALIZED (
  SELECT teacher_id, year, MIN(routed) AS routed, MIN(trained) AS trained FROM (
    SELECT x.teacher_id, EXTRACT(YEAR FROM x.developed_on)::int AS year,
           x.developed_on AS routed, NULL::date AS trained
      FROM {route} x
     WHERE x.teacher_id IN (SELECT teacher_id FROM s) AND x.status = ANY(%(statuses)s)
    UNION ALL
    SELECT x.teacher_id, EXTRACT(YEAR FROM x.completion_date)::int, NULL, x.completion_date
      FROM {enrollment} x JOIN {cohort} co ON co.id = x.cohort_id
      JOIN {program} pr ON pr.id = co.program_id
     WHERE x.teacher_id IN (SELECT teacher_id FROM s) AND pr.provider = %(center)s
       AND x.status = %(completed)s AND x.completion_date IS NOT NULL) z
  GROUP BY teacher_id, year),
spans AS (
  SELECT node, level AS series, 0 AS year, s, e FROM iv
  UNION ALL
  SELECT i.node, k.series + i.level, f.year, GREATEST(i.s, k.day),
         LEAST(i.e, make_date(f.year, 12, 31))
    FROM flags f
    CROSS JOIN LATERAL (VALUES (%(routed)s, f.routed), (%(trained)s, f.trained)) AS k(series, day)
    JOIN iv i ON i.teacher_id = f.teacher_id
   WHERE k.day IS NOT NULL AND GREATEST(i.s, k.day) <= LEAST(i.e, make_date(f.year, 12, 31))),
"""
    + SPAN_DELTAS
)

# Indicators 5 and 7: each school of the region counts in year Y from its first day of the year's
# kind (+1, no end): the first management-programme completion in Y by someone holding a
# management post at the school on that day; the first start of a management mentoring link of
# the school (mentor or mentee) that lasts into Y.
SCHOOLS_SQL = """
WITH schools AS (
  SELECT o.id, o.municipality_id FROM {organization} o
   WHERE o.region_id = %(region)s AND o.kind = %(school)s AND o.is_active),
managed AS (
  SELECT o.municipality_id AS node, o.id, EXTRACT(YEAR FROM x.completion_date)::int AS year,
         MIN(x.completion_date) AS day
    FROM schools o
    JOIN {employment} e ON e.organization_id = o.id
    JOIN {enrollment} x ON x.teacher_id = e.teacher_id
    JOIN {cohort} co ON co.id = x.cohort_id JOIN {program} pr ON pr.id = co.program_id
   WHERE (e.is_management OR e.position = ANY(%(positions)s))
     AND x.status = %(completed)s AND pr.audience = %(management)s
     AND x.completion_date >= e.start_date AND x.completion_date <= COALESCE(e.end_date, %(open)s)
   GROUP BY o.municipality_id, o.id, year),
links AS (
  SELECT o.municipality_id AS node, o.id, l.start_date, l.end_date
    FROM schools o JOIN {mentoring} l ON l.mentor_organization_id = o.id
  UNION ALL
  SELECT o.municipality_id, o.id, l.start_date, l.end_date
    FROM schools o JOIN {mentoring} l ON l.mentee_organization_id = o.id),
mentoring AS (
  SELECT l.node, l.id, y.year, MIN(l.start_date) AS day
    FROM links l CROSS JOIN generate_series(%(first_year)s, %(last_year)s) AS y(year)
   WHERE l.start_date <= make_date(y.year, 12, 31)
     AND (l.end_date IS NULL OR l.end_date >= make_date(y.year, 1, 1))
   GROUP BY l.node, l.id, y.year),
deltas AS (
  SELECT node, %(managed)s AS series, year, day, 1 AS delta FROM managed
  UNION ALL SELECT node, %(mentoring)s, year, day, 1 FROM mentoring)
"""

# Indicator 4: the region's regional events from their start (level 1); per municipality of the
# region, each event from its start while an organization of the municipality took part (no
# end) or a participant is employed there, merged per (event, municipality).
EVENTS_SQL = (
    """
WITH ev AS (
  SELECT id, start_date FROM {event} WHERE region_id = %(region)s AND level = %(regional)s),
places AS (
  SELECT p.event_id, o.municipality_id AS node, ev.start_date AS s, %(open)s::date AS e
    FROM {participation} p JOIN ev ON ev.id = p.event_id
    JOIN {organization} o ON o.id = p.organization_id
  UNION ALL
  SELECT p.event_id, o.municipality_id, GREATEST(ev.start_date, em.start_date),
         COALESCE(em.end_date, %(open)s)
    FROM {participation} p JOIN ev ON ev.id = p.event_id
    JOIN {employment} em ON em.teacher_id = p.teacher_id
    JOIN {organization} o ON o.id = em.organization_id
   WHERE GREATEST(ev.start_date, em.start_date) <= COALESCE(em.end_date, %(open)s)),
own AS (
  SELECT p.* FROM places p JOIN {municipality} m ON m.id = p.node
   WHERE m.region_id = %(region)s),
"""
    + MERGED.format(key="event_id, node", source="own", name="merged")
    + """,
spans AS (
  SELECT m.node, %(events)s AS series, EXTRACT(YEAR FROM ev.start_date)::int AS year, m.s, m.e
    FROM merged m JOIN ev ON ev.id = m.event_id
  UNION ALL
  SELECT %(region)s, %(events)s + 1, EXTRACT(YEAR FROM start_date)::int, start_date, %(open)s
    FROM ev),
"""
    + SPAN_DELTAS
)

# Every node's dated counts on a date: the latest row of each series up to that date, one
# backward index probe each.
PROBE = """(
    SELECT s.total FROM {step} s
     WHERE s.region_id = n.region_id AND s.node = n.node AND s.series = {series} + n.level
       AND s.year = {year} AND s.day <= %(as_of)s
     ORDER BY s.day DESC LIMIT 1)"""
READ_SQL = (
    """
WITH nodes AS (
  SELECT b.region_id, 0 AS level, m.node::int AS node
    FROM {build} b CROSS JOIN LATERAL jsonb_array_elements_text(b.municipalities) AS m(node)
   WHERE b.region_id = ANY(%(regions)s)
  UNION ALL
  SELECT b.region_id, 1, b.region_id FROM {build} b WHERE b.region_id = ANY(%(regions)s))
SELECT n.level, n.region_id, n.node"""
    + "".join(
        ",\n  " + PROBE.format(step="{step}", series=series, year=year)
        for series, year in (
            (Series.TEACHERS.value, "0"),
            (Series.ROUTED.value, "%(year)s"),
            (Series.TRAINED.value, "%(year)s"),
            (Series.MANAGED.value, "%(year)s"),
            (Series.MENTORING.value, "%(year)s"),
            (Series.EVENTS.value, "%(year)s"),
        )
    )
    + "\n  FROM nodes n"
)


def available() -> bool:
    """Whether computations may read the steps: PostgreSQL, and not switched off."""
    return connection.vendor == "postgresql" and settings.INDICATOR_STEPS


def build(region_ids: list[int]) -> int:
    """Build the steps of each region from the current rows; the number of rows written.

    Each region in its own transaction, under a lock of its own (two builds of one region
    would write the same rows). The stamps are read first: a write committed while the steps are
    built changes them, so the steps can only be marked with stamps already out of date, never
    serve figures older than their stamps.
    """
    from profdev.indicators.compute import data_stamps

    if connection.vendor != "postgresql":
        return 0
    written = 0
    for region_id in sorted(set(region_ids)):
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, region_id])
            cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute("SET LOCAL jit = off")
            stamps = data_stamps([region_id])
            if stamps is None:
                return written
            written += _build_region(cursor, region_id, stamps[region_id][0], started)
    return written


def _build_region(cursor: Any, region_id: int, stamps: Any, started: float) -> int:
    from profdev.indicators.compute import (
        MIN_YEAR,
        ROUTE_COUNTED_STATUSES,
        _mentorship_rule,
        _school_q,
    )

    tables = _tables()
    last_year = timezone.localdate().year + 1  # the last year `compute.parse_year` accepts
    args = {
        "region": region_id,
        "school": OrganizationKind.SCHOOL,
        "open": OPEN_END,
        "statuses": list(ROUTE_COUNTED_STATUSES),
        "center": "center",
        "completed": "completed",
        "management": "management",
        "positions": sorted(MANAGEMENT_POSITIONS),
        "regional": "regional",
        "first_year": MIN_YEAR,
        "last_year": last_year,
        **{series.name.lower(): series.value for series in Series},
    }
    cursor.execute(f"DELETE FROM {tables['step']} WHERE region_id = %s", [region_id])
    written = 0
    for deltas in (TEACHERS_SQL, SCHOOLS_SQL, EVENTS_SQL):
        cursor.execute(RUNNING.replace("{deltas}", deltas).format(**tables), args)
        written += cursor.rowcount
    cursor.execute(
        f"SELECT DISTINCT node FROM {tables['step']} WHERE region_id = %s AND series %% 2 = 0",
        [region_id],
    )
    municipalities = {row[0] for row in cursor.fetchall()}
    # Indicator 6 and the schools: one GROUP BY with a count per year (the rule's ORM condition).
    rule = _mentorship_rule()
    years = range(MIN_YEAR, last_year + 1)
    counts = (
        Organization.objects.filter(_school_q(), region_id=region_id)
        .values("municipality")
        .annotate(
            schools=Count("pk"),
            **{f"y{year}": Count("pk", filter=rule(year)) for year in years if rule is not None},
        )
        .order_by()
    )
    schools: dict[str, int] = {}
    implementing: dict[str, dict[str, int]] = {str(year): {} for year in years}
    for row in counts:
        node = row["municipality"]
        municipalities.add(node)
        schools[str(node)] = row["schools"]
        if rule is not None:
            for year in years:
                implementing[str(year)][str(node)] = row[f"y{year}"]
    CountStepBuild.objects.update_or_create(
        region_id=region_id,
        defaults={
            "stamps": stamps_digest(stamps),
            "municipalities": sorted(municipalities),
            "schools": schools,
            "implementing": implementing,
            "last_year": last_year,
            "built_at": timezone.now(),
            "seconds": time.monotonic() - started,
        },
    )
    return written


# pg_advisory_xact_lock's first key: the steps' builds (the second is the region).
LOCK_CLASS = 120012


def fresh_regions(year: int, region_ids: list[int], stamps: dict[int, Any]) -> list[int]:
    """Of the regions, those whose steps were built from exactly their count stamps in `stamps`
    (as `compute.data_stamps` reads them) and cover `year`."""
    builds = CountStepBuild.objects.filter(region_id__in=region_ids, last_year__gte=year)
    digests = dict(builds.values_list("region_id", "stamps"))
    return sorted(
        r for r in region_ids if r in stamps and digests.get(r) == stamps_digest(stamps[r][0])
    )


def stale_regions(region_ids: list[int], year: int | None = None) -> list[int]:
    """Of the regions, those whose steps are missing, built from other stamps, or (with `year`)
    do not cover the year."""
    from profdev.indicators.compute import MIN_YEAR, data_stamps

    covered = set(fresh_regions(year or MIN_YEAR, region_ids, data_stamps(region_ids) or {}))
    return [region_id for region_id in region_ids if region_id not in covered]


@dataclass
class SteppedCounts:
    """The counts of regions with current steps, shaped as `compute.count_regions` takes them
    from its direct statements."""

    teachers: list[tuple[Any, ...]] = field(default_factory=list)
    schools: list[dict[str, Any]] = field(default_factory=list)
    events: dict[int, int] = field(default_factory=dict)
    events_local: dict[tuple[int, int], int] = field(default_factory=dict)


def read(year: int, as_of: datetime.date, region_ids: list[int]) -> SteppedCounts:
    """The counts of regions whose steps are current (`fresh_regions`) on `as_of` of `year`."""
    counts = SteppedCounts()
    if not region_ids:
        return counts
    sql = READ_SQL.format(step=CountStep._meta.db_table, build=CountStepBuild._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"regions": region_ids, "as_of": as_of, "year": year})
        probed = cursor.fetchall()
    builds = CountStepBuild.objects.filter(region_id__in=region_ids).values_list(
        "region_id", "schools", "implementing"
    )
    per_node = {}
    for region_id, schools, implementing in builds:
        of_year = implementing.get(str(year), {})
        for node, den in schools.items():
            per_node[(region_id, int(node))] = (den, of_year.get(node, 0))
    for level, region_id, node, teachers, routed, trained, managed, mentoring, events in probed:
        if level == 1:
            if teachers:
                counts.teachers.append(("r", region_id, None, teachers, routed or 0, trained or 0))
            counts.events[region_id] = events or 0
            continue
        if teachers:
            counts.teachers.append(("m", region_id, node, teachers, routed or 0, trained or 0))
        if events:
            counts.events_local[(region_id, node)] = events
        if (region_id, node) in per_node:
            den, implementing_count = per_node[(region_id, node)]
            counts.schools.append(
                {
                    "region": region_id,
                    "municipality": node,
                    "den": den,
                    "num_5": managed or 0,
                    "num_6": implementing_count,
                    "num_7": mentoring or 0,
                }
            )
    return counts


def rebuild_delay() -> int:
    """How long after the first computation that found a region's steps out of date they are
    rebuilt (setting INDICATOR_STEPS_REBUILD_DELAY, 60 s): a burst of writes (an import, a day's
    editing) costs one build, and the region is counted directly meanwhile."""
    return int(settings.INDICATOR_STEPS_REBUILD_DELAY)


def schedule_rebuild(region_ids: list[int]) -> None:
    """Queue a rebuild of the regions' steps, once per region until it runs.

    Only with a Celery broker: run eagerly, it would build in the request that found them out
    of date. Without one, `manage.py build_count_steps` rebuilds them.
    """
    if not region_ids or getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return
    from profdev.indicators.tasks import rebuild_steps

    delay = rebuild_delay()
    queued = [
        region_id
        for region_id in region_ids
        if cache.add(pending_key(region_id), 1, delay * 10 + 600)
    ]
    if queued:
        transaction.on_commit(lambda: rebuild_steps.apply_async(args=[queued], countdown=delay))


def pending_key(region_id: int) -> str:
    return database_key("indicators", "steps-pending", region_id)
