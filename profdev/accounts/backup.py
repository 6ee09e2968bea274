"""Backup and restore of the whole database: SQLite's online backup API, pg_dump/pg_restore.

A backup is one file. Its format is told by its first bytes on restore:
- `sqlite`: a SQLite database file made with the online backup API (consistent while the
  server runs);
- `pg`: a `pg_dump --format=custom` archive, restored with `pg_restore --clean --if-exists`;
- `json`: a portable dump of every table (Django serialization, history tables included),
  for moving between engines; restore flushes the database and loads it.
Uploaded files (MEDIA_ROOT) are copied separately (docs/operations.md).
"""

import datetime
import gzip
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils.translation import gettext as _

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
GZIP_MAGIC = b"\x1f\x8b"


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; a backup keeps the microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why."""


def engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "pg"


def default_format() -> str:
    if engine() == "sqlite":
        return "sqlite"
    return "pg" if shutil.which("pg_dump") else "json"


def _pg_env() -> dict[str, str]:
    settings = connection.settings_dict
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return env


def _pg_args() -> list[str]:
    settings = connection.settings_dict
    args = ["--dbname", str(settings["NAME"])]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    return args


def backup(out: Path, fmt: str | None = None) -> str:
    """Write a backup of the current database to `out`; returns the format used."""
    fmt = fmt or default_format()
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "sqlite":
        if engine() != "sqlite":
            raise BackupError(_("Формат sqlite доступен только для базы SQLite."))
        connection.ensure_connection()
        target = sqlite3.connect(out)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif fmt == "pg":
        if engine() != "pg":
            raise BackupError(_("Формат pg доступен только для PostgreSQL."))
        command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(out), *_pg_args()]
        result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_dump: {result.stderr.strip()}")
    elif fmt == "json":
        with gzip.open(out, "wt", encoding="utf-8") as handle:
            serializers.serialize("json", _all_objects(), stream=handle, cls=ExactJSONEncoder)
    else:
        raise BackupError(_("Неизвестный формат: %(format)s") % {"format": fmt})
    return fmt


def _all_objects() -> Any:
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        yield from model._base_manager.order_by("pk").iterator()


def detect_format(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "pg"
    if head.startswith(GZIP_MAGIC):
        return "json"
    raise BackupError(_("Файл не похож на резервную копию profdev (sqlite, pg_dump или json.gz)."))


def restore(path: Path) -> str:
    """Replace the current database's contents with the backup in `path`; returns its format."""
    if not path.exists():
        raise BackupError(_("Файл не найден: %(path)s") % {"path": path})
    fmt = detect_format(path)
    if fmt == "sqlite":
        if engine() != "sqlite":
            raise BackupError(
                _("Копию SQLite можно восстановить только в SQLite (или формат json).")
            )
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif fmt == "pg":
        if engine() != "pg":
            raise BackupError(_("Архив pg_dump можно восстановить только в PostgreSQL."))
        connection.close()
        command = [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *_pg_args(),
            str(path),
        ]
        result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_restore: {result.stderr.strip()}")
    else:
        with transaction.atomic():
            call_command("flush", "--noinput", verbosity=0, inhibit_post_migrate=True)
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                objects = list(serializers.deserialize("json", handle))
            for obj in objects:
                obj.save()
            _drop_stamps_written_while_restoring(objects)
        _reset_sequences()
    return fmt


def _drop_stamps_written_while_restoring(objects: list[Any]) -> None:
    """Database triggers stamp the caches' change stamps (the indicators' `DataVersion` and
    `RegionVersion`, the teacher lists' `ListVersion`) while the rows are saved, over the
    backup's stamps and under shard ids the backup may not have: put back exactly the backup's."""
    from profdev.indicators.models import DataVersion, RegionVersion
    from profdev.people.models import ListVersion

    for model in (DataVersion, RegionVersion, ListVersion):
        model.objects.all().delete()
        model.objects.bulk_create(obj.object for obj in objects if isinstance(obj.object, model))


def _reset_sequences() -> None:
    from django.core.management.color import no_style

    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
