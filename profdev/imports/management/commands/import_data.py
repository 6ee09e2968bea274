"""python manage.py import_data KIND FILE [--dry-run] [--organization ID] [--user USERNAME]."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from profdev.imports.kinds.base import all_kinds
from profdev.imports.services import format_summary, import_run


class Command(BaseCommand):
    help = "Импорт данных из XLSX/XLS/ODS/CSV; печатает ту же сводку, что и страница импорта."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[kind.key for kind in all_kinds()])
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help=_("Только проверка."))
        parser.add_argument("--organization", type=int, default=None)
        parser.add_argument("--block-on-rejected", action="store_true")
        parser.add_argument(
            "--user",
            default=None,
            help=_("От чьего имени (по умолчанию первый суперпользователь)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects
        if options["user"]:
            user = users.filter(username=options["user"]).first()
        else:
            user = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError(
                _("Не найден пользователь: укажите --user или создайте суперпользователя.")
            )
        summary = import_run(
            user=user,
            kind=options["kind"],
            path=options["file"],
            commit=not options["dry_run"],
            organization_id=options["organization"],
            block_on_rejected=options["block_on_rejected"],
        )
        self.stdout.write(format_summary(summary))
        if summary["error"]:
            raise CommandError(summary["error"])
