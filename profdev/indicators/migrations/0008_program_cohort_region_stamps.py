"""Programmes and cohorts stamp the regions of their enrolled teachers instead of every region.

Migration 0004 left them global: a write to either put every region's cached counts and count
steps (decision 0012) out of date, so each new cohort of the Center cost the next reader the
whole country's direct computation and a worker a minute of rebuilds. What a programme or a
cohort changes in the figures goes through its enrollments (indicators 2 and 5), so their
teachers' regions are the ones to stamp, as for an enrollment (a new cohort has none: it stamps
nothing). TRUNCATE still stamps the global shards.
"""

import importlib
from typing import Any

from django.db import migrations

region_triggers = importlib.import_module(
    "profdev.indicators.migrations.0004_region_version_triggers"
)

TEACHERS_REGIONS = (
    "JOIN people_employment e ON e.teacher_id = en.teacher_id "
    "JOIN orgs_organization o ON o.id = e.organization_id"
)
MAPPINGS: dict[str, tuple[list[str], str]] = {
    "learning_cohort": (
        ["id"],
        "SELECT o.region_id FROM {src} x JOIN learning_enrollment en ON en.cohort_id = x.id "
        + TEACHERS_REGIONS,
    ),
    "learning_program": (
        ["id"],
        "SELECT o.region_id FROM {src} x JOIN learning_cohort c ON c.program_id = x.id "
        "JOIN learning_enrollment en ON en.cohort_id = c.id " + TEACHERS_REGIONS,
    ),
}
EVENTS = ("insert", "update", "delete")


def _drop_global(vendor: str, schema_editor: Any, table: str) -> None:
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS indicators_touch_{table} ON {table}")
    elif vendor == "sqlite":
        for event in EVENTS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS indicators_touch_{table}_{event}")


def to_regions(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table, (columns, mapping) in MAPPINGS.items():
        _drop_global(vendor, schema_editor, table)
        if vendor == "postgresql":
            for statement in region_triggers.pg_regional_triggers(table, mapping):
                schema_editor.execute(statement)
        elif vendor == "sqlite":
            for event in EVENTS:
                schema_editor.execute(
                    region_triggers._sqlite_trigger(table, event.upper(), columns, mapping)
                )


def to_global(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in MAPPINGS:
        if vendor == "postgresql":
            for event in EVENTS:
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS indicators_mark_{table}_{event} ON {table}"
                )
            schema_editor.execute(f"DROP FUNCTION IF EXISTS indicators_mark_{table}()")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS indicators_touch_{table} ON {table}")
            schema_editor.execute(
                f"CREATE TRIGGER indicators_touch_{table} AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION indicators_touch()"
            )
        elif vendor == "sqlite":
            for event in EVENTS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS indicators_mark_{table}_{event}")
                schema_editor.execute(
                    f"CREATE TRIGGER indicators_touch_{table}_{event} AFTER {event.upper()} "
                    f"ON {table} BEGIN INSERT INTO indicators_dataversion (id, stamp) "
                    f"VALUES (0, random()) ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp; "
                    f"END"
                )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0007_count_steps")]

    operations = [migrations.RunPython(to_regions, to_global)]
