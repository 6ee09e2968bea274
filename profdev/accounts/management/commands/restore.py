"""`manage.py restore FILE`: replace the database's contents with a backup (format detected)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from profdev.accounts.backup import BackupError, restore


class Command(BaseCommand):
    help = "Восстановление базы данных из резервной копии (все данные будут заменены)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("Файл резервной копии"))
        parser.add_argument("--noinput", action="store_true", help=_("Не спрашивать подтверждения"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not options["noinput"]:
            answer = input(_("Все данные базы будут заменены копией. Продолжить? [да/нет] "))
            if answer.strip().lower() not in {_("да").lower(), "yes", "y"}:
                raise CommandError(_("Отменено."))
        try:
            fmt = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Восстановлено из %(path)s (%(format)s).") % {"path": path, "format": fmt}
        )
