"""The teachers' counts as running totals over the date, per region (decision 0012).

"Teachers of a node active on date t" (indicators 1 and 2: the denominator, and those with a
route / a Center completion of the year up to t) changes only on the days an employment starts
or ends or a teacher's first route or completion of the year falls. `build` stores, per region,
each node's count from every such day on (`CountStep`), with the digest of the region's count
stamps it was built from (`CountStepBuild`). A computation reads a count with one index probe
per node and series instead of joining a million employments with the year's routes and
completions; it does so only for the regions whose stamps are still the ones built from, so
the figures stay exactly those of the direct statement, and counts the other regions directly
(`compute._teacher_counts`). A Celery task rebuilds those (`schedule_rebuild`).

PostgreSQL only: the demo region on SQLite is counted directly in 20 ms.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import IntegerChoices
from django.utils import timezone

from profdev.common.cache_keys import database_key
from profdev.indicators.models import CountStep, CountStepBuild
from profdev.orgs.choices import OrganizationKind
from profdev.orgs.models import Organization
from profdev.people.models import Employment

logger = logging.getLogger(__name__)

# An employment without an end lasts to this day (the day after it still fits in a date).
OPEN_END = datetime.date(9999, 12, 30)


class Series(IntegerChoices):
    """What a `CountStep` row counts; a region's series is its municipality's plus one."""

    TEACHERS = 0, "педагоги муниципалитета"
    TEACHERS_REGION = 1, "педагоги региона"
    ROUTED = 2, "педагоги муниципалитета с ИОМ года"
    ROUTED_REGION = 3, "педагоги региона с ИОМ года"
    TRAINED = 4, "педагоги муниципалитета, обученные ЦНППМ в году"
    TRAINED_REGION = 5, "педагоги региона, обученные ЦНППМ в году"


def stamps_digest(stamps: Any) -> str:
    """The digest stored with a region's steps: of its count stamps (`compute.data_stamps`)."""
    return hashlib.sha256(repr(stamps).encode()).hexdigest()


def _tables() -> dict[str, str]:
    from profdev.indicators.compute import _model

    return {
        "step": CountStep._meta.db_table,
        "employment": Employment._meta.db_table,
        "organization": Organization._meta.db_table,
        "route": _model("learning.Route")._meta.db_table,
        "enrollment": _model("learning.Enrollment")._meta.db_table,
        "cohort": _model("learning.Cohort")._meta.db_table,
        "program": _model("learning.Program")._meta.db_table,
    }


# One region's series from its source rows, by the rules of `compute._teacher_counts`:
# - each teacher's school employments at the region's active schools, per municipality (level 0)
#   and for the region (level 1), merged where they overlap or touch, so that a teacher counts
#   once per node (`iv`);
# - each teacher's first counted route and first Center completion of every year (`flags`);
# - the spans during which a teacher counts: the merged employments for the denominator (year
#   0); from the flag's day to the employment's end within the flag's year for the numerators;
# - +1 on a span's first day, -1 on the day after its last, summed per day, then the running
#   total per series.
BUILD_SQL = """
INSERT INTO {step} (region_id, node, series, year, day, total)
WITH s AS MATERIALIZED (
  SELECT e.teacher_id, o.municipality_id, e.start_date AS s, COALESCE(e.end_date, %(open)s) AS e
    FROM {employment} e JOIN {organization} o ON o.id = e.organization_id
   WHERE o.region_id = %(region)s AND o.kind = %(school)s AND o.is_active),
levels AS (
  SELECT 0 AS level, municipality_id AS node, teacher_id, s, e FROM s
   WHERE municipality_id IS NOT NULL
  UNION ALL SELECT 1, %(region)s, teacher_id, s, e FROM s),
previous AS (
  SELECT *, MAX(e) OVER (PARTITION BY level, node, teacher_id ORDER BY s
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end
    FROM levels),
runs AS (
  SELECT *, COUNT(*) FILTER (WHERE previous_end IS NULL OR previous_end < s - 1)
                OVER (PARTITION BY level, node, teacher_id ORDER BY s) AS run
    FROM previous),
iv AS MATERIALIZED (
  SELECT level, node, teacher_id, MIN(s) AS s, MAX(e) AS e
    FROM runs GROUP BY level, node, teacher_id, run),
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
  SELECT level AS series, 0 AS year, node, s, e FROM iv
  UNION ALL
  SELECT k.series + i.level, f.year, i.node, GREATEST(i.s, k.day),
         LEAST(i.e, make_date(f.year, 12, 31))
    FROM flags f
    CROSS JOIN LATERAL (VALUES (%(routed)s, f.routed), (%(trained)s, f.trained)) AS k(series, day)
    JOIN iv i ON i.teacher_id = f.teacher_id
   WHERE k.day IS NOT NULL AND GREATEST(i.s, k.day) <= LEAST(i.e, make_date(f.year, 12, 31))),
deltas AS (
  SELECT node, series, year, day, SUM(delta) AS delta FROM (
    SELECT node, series, year, s AS day, 1 AS delta FROM spans
    UNION ALL
    SELECT node, series, year, e + 1, -1 FROM spans WHERE e < %(open)s) d
  GROUP BY node, series, year, day)
SELECT %(region)s, node, series, year, day,
       SUM(delta) OVER (PARTITION BY node, series, year ORDER BY day)
  FROM deltas
"""

# Every node's three counts on a date: the latest row of each series up to that date, one
# backward index probe each. A node counts only with teachers (as the direct statement, which
# has no row for a municipality without any).
READ_SQL = """
WITH nodes AS (
  SELECT b.region_id, 0 AS level, m.node::int AS node
    FROM {build} b CROSS JOIN LATERAL jsonb_array_elements_text(b.municipalities) AS m(node)
   WHERE b.region_id = ANY(%(regions)s)
  UNION ALL
  SELECT b.region_id, 1, b.region_id FROM {build} b WHERE b.region_id = ANY(%(regions)s))
SELECT CASE n.level WHEN 0 THEN 'm' ELSE 'r' END, n.region_id,
       CASE n.level WHEN 0 THEN n.node END, t.total, COALESCE(r.total, 0), COALESCE(c.total, 0)
  FROM nodes n
  JOIN LATERAL (
    SELECT s.total FROM {step} s
     WHERE s.region_id = n.region_id AND s.node = n.node AND s.series = n.level
       AND s.year = 0 AND s.day <= %(as_of)s
     ORDER BY s.day DESC LIMIT 1) t ON t.total > 0
  LEFT JOIN LATERAL (
    SELECT s.total FROM {step} s
     WHERE s.region_id = n.region_id AND s.node = n.node AND s.series = %(routed)s + n.level
       AND s.year = %(year)s AND s.day <= %(as_of)s
     ORDER BY s.day DESC LIMIT 1) r ON TRUE
  LEFT JOIN LATERAL (
    SELECT s.total FROM {step} s
     WHERE s.region_id = n.region_id AND s.node = n.node AND s.series = %(trained)s + n.level
       AND s.year = %(year)s AND s.day <= %(as_of)s
     ORDER BY s.day DESC LIMIT 1) c ON TRUE
"""


def available() -> bool:
    """Whether computations may read the steps: PostgreSQL, and not switched off."""
    return connection.vendor == "postgresql" and getattr(settings, "INDICATOR_STEPS", True)


def build(region_ids: list[int]) -> int:
    """Build the steps of each region from the current rows; the number of rows written.

    Each region in its own transaction, under a lock of its own (two builds of one region
    would write the same rows). The stamps are read first: a write committed while the steps are
    built changes them, so the steps can only be marked with stamps already out of date, never
    serve figures older than their stamps.
    """
    from profdev.indicators.compute import ROUTE_COUNTED_STATUSES, data_stamps

    if connection.vendor != "postgresql":
        return 0
    tables = _tables()
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
            cursor.execute(f"DELETE FROM {tables['step']} WHERE region_id = %s", [region_id])
            cursor.execute(
                BUILD_SQL.format(**tables),
                {
                    "region": region_id,
                    "school": OrganizationKind.SCHOOL,
                    "open": OPEN_END,
                    "statuses": list(ROUTE_COUNTED_STATUSES),
                    "center": "center",
                    "completed": "completed",
                    "routed": Series.ROUTED.value,
                    "trained": Series.TRAINED.value,
                },
            )
            written += cursor.rowcount
            cursor.execute(
                f"SELECT DISTINCT node FROM {tables['step']} "
                f"WHERE region_id = %s AND series = %s ORDER BY node",
                [region_id, Series.TEACHERS.value],
            )
            municipalities = [row[0] for row in cursor.fetchall()]
            CountStepBuild.objects.update_or_create(
                region_id=region_id,
                defaults={
                    "stamps": stamps_digest(stamps[region_id][0]),
                    "municipalities": municipalities,
                    "built_at": timezone.now(),
                    "seconds": time.monotonic() - started,
                },
            )
    return written


# pg_advisory_xact_lock's first key: the steps' builds (the second is the region).
LOCK_CLASS = 120012


def fresh_regions(stamps: dict[int, Any]) -> list[int]:
    """Of the regions in `stamps` (region id → its count stamps), those whose steps were built
    from exactly these stamps."""
    digests = dict(
        CountStepBuild.objects.filter(region_id__in=list(stamps)).values_list("region_id", "stamps")
    )
    return sorted(r for r, rows in stamps.items() if digests.get(r) == stamps_digest(rows))


def stale_regions(region_ids: list[int]) -> list[int]:
    """Of the regions, those whose steps are missing or built from other stamps."""
    from profdev.indicators.compute import data_stamps

    stamps = data_stamps(region_ids) or {}
    fresh = set(fresh_regions({r: rows[0] for r, rows in stamps.items()}))
    return [region_id for region_id in region_ids if region_id not in fresh]


def teacher_counts(year: int, as_of: datetime.date, region_ids: list[int]) -> list[tuple[Any, ...]]:
    """Rows (level, region, municipality, teachers, with a route, with a course) of regions with
    fresh steps, as `compute._teacher_counts` gives them."""
    if not region_ids:
        return []
    sql = READ_SQL.format(step=CountStep._meta.db_table, build=CountStepBuild._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "regions": region_ids,
                "as_of": as_of,
                "year": year,
                "routed": Series.ROUTED.value,
                "trained": Series.TRAINED.value,
            },
        )
        return list(cursor.fetchall())


# After a write, a region's steps are rebuilt this long after the first computation that found
# them out of date: a burst of writes (an import, a day's editing) costs one build, and the
# region is counted directly meanwhile.
REBUILD_DELAY_SECONDS = 60


def schedule_rebuild(region_ids: list[int]) -> None:
    """Queue a rebuild of the regions' steps, once per region until it runs.

    Only with a Celery broker: run eagerly, it would build in the request that found them out
    of date. Without one, `manage.py build_count_steps` rebuilds them.
    """
    if not region_ids or getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return
    from profdev.indicators.tasks import rebuild_steps

    queued = [
        region_id
        for region_id in region_ids
        if cache.add(pending_key(region_id), 1, REBUILD_DELAY_SECONDS * 10)
    ]
    if queued:
        transaction.on_commit(
            lambda: rebuild_steps.apply_async(args=[queued], countdown=REBUILD_DELAY_SECONDS)
        )


def pending_key(region_id: int) -> str:
    return database_key("indicators", "steps-pending", region_id)
