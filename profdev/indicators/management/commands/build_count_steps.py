"""`python manage.py build_count_steps [--region CODE ...] [--all]` (decision 0012)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from profdev.indicators import steps
from profdev.orgs.models import Region


class Command(BaseCommand):
    help = "Строит шаги счётчиков показателей для регионов, где они устарели после изменений."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--region", action="append", default=[], help=_("Код региона (можно несколько).")
        )
        parser.add_argument(
            "--all", action="store_true", help=_("Перестроить и те, что не устарели.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write(_("Шаги строятся только на PostgreSQL: SQLite считает напрямую."))
            return
        regions = Region.objects.order_by("pk")
        if options["region"]:
            regions = regions.filter(code__in=options["region"])
            unknown = set(options["region"]) - set(regions.values_list("code", flat=True))
            if unknown:
                raise CommandError(_("Регион не найден: %s") % ", ".join(sorted(unknown)))
        region_ids = list(regions.values_list("pk", flat=True))
        if not options["all"]:
            region_ids = steps.stale_regions(region_ids)
        started = time.monotonic()
        rows = steps.build(region_ids)
        self.stdout.write(
            _("Регионов: %(regions)d, строк: %(rows)d, за %(seconds).1f с")
            % {"regions": len(region_ids), "rows": rows, "seconds": time.monotonic() - started}
        )
