"""Writing `TeacherPlace` rows directly, for a writer that already holds their values.

The places are kept by database triggers (migrations 0003, 0004). On PostgreSQL the employment
insert trigger builds them with an `INSERT … SELECT` joining every new employment to its
organization and teacher; a bulk writer that already has those values (the teacher import) can
send the places by COPY instead, inside `places_written_here()`, which saves the join (measured:
0.3–0.9 of 2.1–3.0 database CPU-s per 100,000 employments; the rest is the places' name
indexes, docs/performance.md «Import»).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

# Read by the trigger function people_place_insert (migration 0004).
SETTING = "profdev.places_written"
# TeacherPlace's columns in the order the writer sends them.
PLACE_COLUMNS = (
    "employment_id",
    "teacher_id",
    "organization_id",
    "municipality_id",
    "region_id",
    "start_date",
    "end_date",
    "last_name",
    "first_name",
    "middle_name",
)


@contextmanager
def places_written_here() -> Iterator[None]:
    """Employments inserted inside this block get no place and no list stamps from the
    triggers: the caller must write one `TeacherPlace` per employment itself and call
    `stamp_lists` for the regions of the employments and of their teachers' other jobs, in the
    same transaction (PostgreSQL only; SQLite's row triggers always do both).

    The setting is transaction-local and the block is a savepoint, so an error inside it
    leaves nothing switched off; it is switched back on as the block ends.
    """
    if connection.vendor != "postgresql":
        raise NotImplementedError("the place trigger can be bypassed on PostgreSQL only")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [SETTING])
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'off', true)", [SETTING])


def stamp_lists(teacher_ids: list[int], region_ids: set[int]) -> None:
    """New list stamps (`ListVersion`) for `region_ids` and for the regions where these
    teachers work, as the employment trigger gives them outside `places_written_here()`: the
    teacher lists there show each teacher's main current job, which new employments change."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT people_stamp_lists(ARRAY(SELECT unnest(%s::bigint[]) UNION "
            "SELECT o.region_id FROM people_employment e "
            "JOIN orgs_organization o ON o.id = e.organization_id "
            "WHERE e.teacher_id = ANY(%s::bigint[])))",
            [sorted(region_ids), teacher_ids],
        )
