"""Targets get their own change stamps: a target edit rebuilds the figures from the cached counts
instead of counting the whole country again.

Migration 0004 stamped the global `indicators_dataversion` shards 0–15 on every write to the
targets, which keyed the cached counts of every region, though the counts (numerators and
denominators) do not depend on targets. Here the targets' trigger stamps the shards 16–31 of
the same table instead; `compute.data_stamps` keys the counts by the first and the figures
built from them (statuses, forecasts) and the pages by both.
"""

from typing import Any

from django.db import migrations

SHARDS = 16
TABLE = "indicators_target"

PG_TOUCH_TARGETS = f"""
CREATE OR REPLACE FUNCTION indicators_touch_targets() RETURNS trigger AS $$
BEGIN
    INSERT INTO indicators_dataversion (id, stamp)
    VALUES ({SHARDS} + mod(txid_current(), {SHARDS}), floor(random() * 9007199254740991)::bigint)
    ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


def _sqlite_trigger(event: str, shard: int) -> str:
    return (
        f"CREATE TRIGGER indicators_touch_{TABLE}_{event.lower()} AFTER {event} ON {TABLE} "
        f"BEGIN INSERT INTO indicators_dataversion (id, stamp) VALUES ({shard}, random()) "
        f"ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp; END"
    )


def _replace(schema_editor: Any, function: str, shard: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS indicators_touch_{TABLE} ON {TABLE}")
        schema_editor.execute(
            f"CREATE TRIGGER indicators_touch_{TABLE} AFTER INSERT OR UPDATE OR DELETE "
            f"OR TRUNCATE ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    elif vendor == "sqlite":
        for event in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS indicators_touch_{TABLE}_{event.lower()}")
            schema_editor.execute(_sqlite_trigger(event, shard))


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_TOUCH_TARGETS)
    _replace(schema_editor, "indicators_touch_targets", SHARDS)


def backward(apps: Any, schema_editor: Any) -> None:
    _replace(schema_editor, "indicators_touch", 0)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS indicators_touch_targets()")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_employment_covering_index")]

    operations = [migrations.RunPython(forward, backward)]
