"""Per-region change stamps of the teacher lists (`people.ListVersion`): a cached list page is
keyed by them (decision 0009).

Each table whose rows a teacher list shows gets triggers that map the changed rows to the
regions whose lists they can change and give those regions a fresh random stamp, in the
writer's own transaction. A teacher's list row shows the teacher's own columns and their main
current job, which may be in another region than the list, so a write is mapped through all
the employments of the teachers it touches. PostgreSQL: statement-level triggers with
transition tables (one mapping query per statement); SQLite: row-level triggers.
"""

from typing import Any

from django.db import migrations, models

SHARDS = 16

# The regions where the teachers of `x` work (any date: over-approximate, never under).
_TEACHERS = (
    "SELECT o.region_id FROM {src} x JOIN people_employment e ON e.teacher_id = x.teacher_id "
    "JOIN orgs_organization o ON o.id = e.organization_id"
)
# The regions where anyone working at the organizations of `x` works.
_STAFF = (
    "SELECT o.region_id FROM {src} x JOIN people_employment a ON a.organization_id = x.org_id "
    "JOIN people_employment e ON e.teacher_id = a.teacher_id "
    "JOIN orgs_organization o ON o.id = e.organization_id"
)

# Source table -> (columns the mapping reads as `x`, events, SQL selecting `region_id`). A new
# teacher has no job yet, and a teacher or an organization is deleted only after its
# employments (whose own triggers stamp), so those tables stamp on UPDATE only. A region's
# name is shown on its pages; a subject is offered in every region's filter form.
SOURCES: dict[str, tuple[dict[str, str], tuple[str, ...], str]] = {
    "people_teacher": ({"teacher_id": "id"}, ("UPDATE",), _TEACHERS),
    "people_employment": (
        {"teacher_id": "teacher_id", "org_id": "organization_id"},
        ("INSERT", "UPDATE", "DELETE"),
        f"SELECT o.region_id FROM {{src}} x JOIN orgs_organization o ON o.id = x.org_id "
        f"UNION {_TEACHERS}",
    ),
    "orgs_organization": (
        {"org_id": "id", "region_id": "region_id"},
        ("UPDATE",),
        f"SELECT x.region_id FROM {{src}} x UNION {_STAFF}",
    ),
    "orgs_municipality": (
        {"municipality_id": "id", "region_id": "region_id"},
        ("UPDATE",),
        "SELECT x.region_id FROM {src} x UNION "
        + _STAFF.replace("{src} x", "(SELECT mo.id AS org_id FROM {src} y "
                         "JOIN orgs_organization mo ON mo.municipality_id = y.municipality_id) x"),
    ),
    "orgs_region": ({"region_id": "id"}, ("UPDATE",), "SELECT x.region_id FROM {src} x"),
    "people_subject": (
        {"subject_id": "id"},
        ("INSERT", "UPDATE", "DELETE"),
        "SELECT r.id AS region_id FROM {src} x, orgs_region r",
    ),
}  # fmt: skip

PG_STAMP = f"""
CREATE OR REPLACE FUNCTION people_stamp_lists(ids bigint[]) RETURNS void AS $$
    INSERT INTO people_listversion (id, region_id, stamp)
    SELECT r::bigint * {SHARDS} + mod(txid_current(), {SHARDS}), r,
           floor(random() * 9007199254740991)::bigint
      FROM (SELECT DISTINCT r FROM unnest(ids) AS r WHERE r IS NOT NULL) AS d
     ORDER BY r
    ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp;
$$ LANGUAGE sql;
"""


def _rows(columns: dict[str, str], source: str, prefix: str = "") -> str:
    """The changed rows with the mapping's column names: a subquery of a transition table
    (PostgreSQL) or of the row's NEW / OLD values (SQLite, `prefix` "NEW." or "OLD.")."""
    values = ", ".join(f"{prefix}{column} AS {alias}" for alias, column in columns.items())
    return f"(SELECT {values}{f' FROM {source}' if source else ''})"


# Read by the employment function: inside `people.places.places_written_here()` the writer of
# new employments (the teacher import) stamps their regions itself (`places.stamp_lists`).
PLACES_WRITTEN = "profdev.places_written"


def _pg_function(table: str, columns: dict[str, str], mapping: str) -> str:
    new = mapping.format(src=_rows(columns, "new_rows"))
    old = mapping.format(src=_rows(columns, "old_rows"))
    bypass = ""
    if table == "people_employment":
        bypass = f"""
    IF TG_OP = 'INSERT' AND current_setting('{PLACES_WRITTEN}', true) = 'on' THEN
        RETURN NULL;
    END IF;"""
    return f"""
CREATE OR REPLACE FUNCTION people_list_{table}() RETURNS trigger AS $$
BEGIN{bypass}
    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
        PERFORM people_stamp_lists(ARRAY(SELECT DISTINCT region_id FROM ({new}) AS m));
    END IF;
    IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
        PERFORM people_stamp_lists(ARRAY(SELECT DISTINCT region_id FROM ({old}) AS m));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


def _sqlite_trigger(table: str, event: str, columns: dict[str, str], mapping: str) -> str:
    sources = []
    for row in ("NEW", "OLD"):
        if (row == "NEW" and event == "DELETE") or (row == "OLD" and event == "INSERT"):
            continue
        sources.append(mapping.format(src=_rows(columns, "", f"{row}.")))
    union = " UNION ".join(sources)
    return (
        f"CREATE TRIGGER people_list_{table}_{event.lower()} AFTER {event} ON {table} BEGIN "
        f"INSERT INTO people_listversion (id, region_id, stamp) "
        f"SELECT region_id * {SHARDS}, region_id, random() FROM ({union}) AS m "
        f"WHERE region_id IS NOT NULL "
        f"ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp; END"
    )


def create_triggers(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_STAMP)
        for table, (columns, events, mapping) in SOURCES.items():
            schema_editor.execute(_pg_function(table, columns, mapping))
            for event in events:
                tables = {
                    "INSERT": "NEW TABLE AS new_rows",
                    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                    "DELETE": "OLD TABLE AS old_rows",
                }[event]
                schema_editor.execute(
                    f"CREATE TRIGGER people_list_{table}_{event.lower()} AFTER {event} "
                    f"ON {table} REFERENCING {tables} FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION people_list_{table}()"
                )
    elif vendor == "sqlite":
        for table, (columns, events, mapping) in SOURCES.items():
            for event in events:
                schema_editor.execute(_sqlite_trigger(table, event, columns, mapping))


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table, (_columns, events, _mapping) in SOURCES.items():
        for event in events:
            name = f"people_list_{table}_{event.lower()}"
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            elif vendor == "sqlite":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS people_list_{table}()")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS people_stamp_lists(bigint[])")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_employment_organization_index"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListVersion",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("region_id", models.IntegerField(db_index=True)),
                ("stamp", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "версия списков педагогов региона",
                "verbose_name_plural": "версии списков педагогов регионов",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
