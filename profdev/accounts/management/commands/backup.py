"""`manage.py backup --out FILE [--format sqlite|pg|json]`: a consistent copy of the database."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from profdev.accounts.backup import BackupError, backup


class Command(BaseCommand):
    help = "Резервная копия базы данных в один файл (SQLite: online backup; PostgreSQL: pg_dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help=_("Файл резервной копии"))
        parser.add_argument("--format", choices=["sqlite", "pg", "json"], default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        try:
            fmt = backup(out, options["format"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Резервная копия (%(format)s): %(file)s (%(size)s байт)")
            % {"format": fmt, "file": out, "size": out.stat().st_size}
        )
