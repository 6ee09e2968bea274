"""Backup and restore: back up, wipe, restore, and every table is back row for row."""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from profdev.accounts.backup import default_format
from profdev.common.tests.fixtures import World
from profdev.common.tests.foreign import populate_place


def table_checksums() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of the ordered rows of every table in the database."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} WHERE 1 = 0")
            # Every column in the order: a history table's first column (the object's id)
            # repeats, and ties would come back in any order.
            columns = ", ".join(str(n) for n in range(1, len(cursor.description) + 1))
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {columns}")
            rows = cursor.fetchall()
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            result[table] = (len(rows), digest)
    return result


def _wipe() -> None:
    call_command("flush", "--noinput", verbosity=0, inhibit_post_migrate=True)


FORMATS = [default_format(), "json"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("fmt", sorted(set(FORMATS)))
def test_backup_wipe_restore_gives_back_every_table(
    fmt: str, world: World, operator: Any, tmp_path: Path
) -> None:
    populate_place(world.nsk)  # records (and history) of every model
    before = table_checksums()
    assert sum(count for count, _digest in before.values()) > 100
    out = tmp_path / f"profdev.{fmt}"
    call_command("backup", "--out", str(out), "--format", fmt, verbosity=0)
    assert out.stat().st_size > 0
    _wipe()
    assert table_checksums() != before
    call_command("restore", str(out), "--noinput", verbosity=0)
    after = table_checksums()
    differing = [t for t in before if before[t] != after.get(t)]
    assert not differing, f"tables differ after restore: {differing}"
    assert set(after) == set(before)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, db: Any) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")
    with pytest.raises(CommandError, match="не похож"):
        call_command("restore", str(bogus), "--noinput")
    with pytest.raises(CommandError, match="не найден"):
        call_command("restore", str(tmp_path / "missing.dump"), "--noinput")
