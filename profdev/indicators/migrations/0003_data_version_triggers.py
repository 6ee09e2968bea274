"""Change stamps for the cache of indicator figures: a table and a trigger per source table."""

from typing import Any

from django.db import migrations, models

SHARDS = 16
# Every table `compute.py` reads (directly or through mentorship.rules).
SOURCE_TABLES = [
    "orgs_municipality",
    "orgs_organization",
    "people_employment",
    "people_centerstaff",
    "learning_stafftraining",
    "learning_program",
    "learning_cohort",
    "learning_enrollment",
    "learning_route",
    "events_event",
    "events_eventparticipation",
    "mentorship_targetmodel",
    "mentorship_mentorpair",
    "mentorship_managementmentoring",
    "mentorship_mentorshipsettings",
    "indicators_target",
]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION indicators_touch() RETURNS trigger AS $$
BEGIN
    UPDATE indicators_dataversion
       SET stamp = floor(random() * 9007199254740991)::bigint
     WHERE id = mod(txid_current(), 16);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps: Any, schema_editor: Any) -> None:
    version = apps.get_model("indicators", "DataVersion")
    version.objects.bulk_create([version(id=n, stamp=0) for n in range(SHARDS)])
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        for table in SOURCE_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER indicators_touch_{table} AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION indicators_touch()"
            )
    elif vendor == "sqlite":
        for table in SOURCE_TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER indicators_touch_{table}_{event.lower()} AFTER {event} "
                    f"ON {table} BEGIN UPDATE indicators_dataversion SET stamp = random() "
                    f"WHERE id = 0; END"
                )


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in SOURCE_TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS indicators_touch_{table} ON {table}")
        elif vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS indicators_touch_{table}_{event}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS indicators_touch()")


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_seed_targets"),
        ("orgs", "0001_initial"),
        ("people", "0001_initial"),
        ("learning", "0002_seed_competence_areas"),
        ("events", "0001_initial"),
        ("mentorship", "0002_seed_forms"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("stamp", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "версия данных показателей",
                "verbose_name_plural": "версии данных показателей",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
