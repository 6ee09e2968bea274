"""Per-region change stamps: a write invalidates the cached figures of its own region only.

Migration 0003 stamped one global vector on every write to any source table. Here each source
table gets triggers that map the changed rows to the regions whose figures they can change and
stamp those regions (`indicators_regionversion`); only the tables whose rows can change every
region (programs, cohorts, the mentorship rule settings, targets) and TRUNCATE still stamp the
global `indicators_dataversion`. PostgreSQL: statement-level triggers with transition tables (one
mapping query per statement, so a COPY or a bulk_create of 100,000 rows costs one); SQLite:
row-level triggers.
"""

from typing import Any

from django.db import migrations, models

SHARDS = 16

# Source table -> (columns the mapping reads, SQL selecting `region_id` from `{src} x`). An
# enrollment or a route counts for every region where the teacher holds any employment (any
# date: over-approximate, never under); the employment's own write stamps its region when it
# starts, ends or moves.
REGIONAL: dict[str, tuple[list[str], str]] = {
    "orgs_municipality": (["region_id"], "SELECT x.region_id FROM {src} x"),
    "orgs_organization": (["region_id"], "SELECT x.region_id FROM {src} x"),
    "people_employment": (
        ["organization_id"],
        "SELECT o.region_id FROM {src} x JOIN orgs_organization o ON o.id = x.organization_id",
    ),
    "people_centerstaff": (
        ["organization_id"],
        "SELECT o.region_id FROM {src} x JOIN orgs_organization o ON o.id = x.organization_id",
    ),
    "learning_stafftraining": (
        ["staff_id"],
        "SELECT o.region_id FROM {src} x JOIN people_centerstaff s ON s.id = x.staff_id "
        "JOIN orgs_organization o ON o.id = s.organization_id",
    ),
    "learning_enrollment": (
        ["teacher_id"],
        "SELECT o.region_id FROM {src} x JOIN people_employment e ON e.teacher_id = x.teacher_id "
        "JOIN orgs_organization o ON o.id = e.organization_id",
    ),
    "learning_route": (
        ["teacher_id"],
        "SELECT o.region_id FROM {src} x JOIN people_employment e ON e.teacher_id = x.teacher_id "
        "JOIN orgs_organization o ON o.id = e.organization_id",
    ),
    "events_event": (["region_id"], "SELECT x.region_id FROM {src} x"),
    "events_eventparticipation": (
        ["event_id"],
        "SELECT ev.region_id FROM {src} x JOIN events_event ev ON ev.id = x.event_id",
    ),
    "mentorship_targetmodel": (
        ["organization_id"],
        "SELECT o.region_id FROM {src} x JOIN orgs_organization o ON o.id = x.organization_id",
    ),
    "mentorship_mentorpair": (
        ["organization_id"],
        "SELECT o.region_id FROM {src} x JOIN orgs_organization o ON o.id = x.organization_id",
    ),
    "mentorship_managementmentoring": (
        ["mentor_organization_id", "mentee_organization_id"],
        "SELECT o.region_id FROM {src} x JOIN orgs_organization o "
        "ON o.id = x.mentor_organization_id OR o.id = x.mentee_organization_id",
    ),
}
GLOBAL = [
    "learning_program",
    "learning_cohort",
    "mentorship_mentorshipsettings",
    "indicators_target",
]
OLD_TABLES = [*REGIONAL, *GLOBAL]  # migration 0003 put a global trigger on each

PG_STAMP_REGIONS = f"""
CREATE OR REPLACE FUNCTION indicators_stamp_regions(ids bigint[]) RETURNS void AS $$
    INSERT INTO indicators_regionversion (id, region_id, stamp)
    SELECT r::bigint * {SHARDS} + mod(txid_current(), {SHARDS}), r,
           floor(random() * 9007199254740991)::bigint
      FROM (SELECT DISTINCT r FROM unnest(ids) AS r WHERE r IS NOT NULL) AS d
     ORDER BY r
    ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp;
$$ LANGUAGE sql;
"""

PG_GLOBAL = f"""
CREATE OR REPLACE FUNCTION indicators_touch() RETURNS trigger AS $$
BEGIN
    INSERT INTO indicators_dataversion (id, stamp)
    VALUES (mod(txid_current(), {SHARDS}), floor(random() * 9007199254740991)::bigint)
    ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


def _pg_mark_function(table: str, mapping: str) -> str:
    new = mapping.format(src="new_rows")
    old = mapping.format(src="old_rows")
    return f"""
CREATE OR REPLACE FUNCTION indicators_mark_{table}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
        PERFORM indicators_stamp_regions(ARRAY(SELECT DISTINCT region_id FROM ({new}) AS m));
    END IF;
    IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
        PERFORM indicators_stamp_regions(ARRAY(SELECT DISTINCT region_id FROM ({old}) AS m));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


def pg_regional_triggers(table: str, mapping: str) -> list[str]:
    """The function and statement triggers that stamp the regions `mapping` selects for the rows
    a statement writes to `table` (TRUNCATE stamps the global shards)."""
    function = f"indicators_mark_{table}()"
    return [
        _pg_mark_function(table, mapping),
        f"CREATE TRIGGER indicators_mark_{table}_insert AFTER INSERT ON {table} "
        f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}",
        f"CREATE TRIGGER indicators_mark_{table}_update AFTER UPDATE ON {table} "
        f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}",
        f"CREATE TRIGGER indicators_mark_{table}_delete AFTER DELETE ON {table} "
        f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}",
        f"CREATE TRIGGER indicators_touch_{table} AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION indicators_touch()",
    ]


def _sqlite_trigger(table: str, event: str, columns: list[str], mapping: str) -> str:
    sources = []
    for row in ("NEW", "OLD"):
        if (row == "NEW" and event == "DELETE") or (row == "OLD" and event == "INSERT"):
            continue
        values = ", ".join(f"{row}.{column} AS {column}" for column in columns)
        sources.append(mapping.format(src=f"(SELECT {values})"))
    union = " UNION ".join(sources)
    return (
        f"CREATE TRIGGER indicators_mark_{table}_{event.lower()} AFTER {event} ON {table} BEGIN "
        f"INSERT INTO indicators_regionversion (id, region_id, stamp) "
        f"SELECT region_id * {SHARDS}, region_id, random() FROM ({union}) AS m "
        f"WHERE region_id IS NOT NULL "
        f"ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp; END"
    )


def _drop_0003(vendor: str, schema_editor: Any) -> None:
    for table in OLD_TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS indicators_touch_{table} ON {table}")
        elif vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS indicators_touch_{table}_{event}")


def create_triggers(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    _drop_0003(vendor, schema_editor)
    if vendor == "postgresql":
        schema_editor.execute(PG_GLOBAL)
        schema_editor.execute(PG_STAMP_REGIONS)
        for table in GLOBAL:
            schema_editor.execute(
                f"CREATE TRIGGER indicators_touch_{table} AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION indicators_touch()"
            )
        for table, (_columns, mapping) in REGIONAL.items():
            for statement in pg_regional_triggers(table, mapping):
                schema_editor.execute(statement)
    elif vendor == "sqlite":
        for table in GLOBAL:
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER indicators_touch_{table}_{event.lower()} AFTER {event} "
                    f"ON {table} BEGIN INSERT INTO indicators_dataversion (id, stamp) "
                    f"VALUES (0, random()) ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp; "
                    f"END"
                )
        for table, (columns, mapping) in REGIONAL.items():
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(_sqlite_trigger(table, event, columns, mapping))


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in REGIONAL:
        if vendor == "postgresql":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS indicators_mark_{table}_{event} ON {table}"
                )
            schema_editor.execute(f"DROP FUNCTION IF EXISTS indicators_mark_{table}()")
        elif vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS indicators_mark_{table}_{event}")
    _drop_0003(vendor, schema_editor)
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS indicators_stamp_regions(bigint[])")
        for table in OLD_TABLES:  # back to migration 0003's triggers
            schema_editor.execute(
                f"CREATE TRIGGER indicators_touch_{table} AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION indicators_touch()"
            )
    elif vendor == "sqlite":
        for table in OLD_TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER indicators_touch_{table}_{event.lower()} AFTER {event} "
                    f"ON {table} BEGIN UPDATE indicators_dataversion SET stamp = random() "
                    f"WHERE id = 0; END"
                )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_data_version_triggers"),
        ("learning", "0003_route_step_event"),
        ("events", "0002_event_competence_areas"),
        ("people", "0002_historical_subject"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegionVersion",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("region_id", models.IntegerField(db_index=True)),
                ("stamp", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "версия данных показателей региона",
                "verbose_name_plural": "версии данных показателей регионов",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
