"""python manage.py analytical_report --year Y [--campaign ID] --out report.docx|.xlsx|.pdf"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from profdev.reports.roadmap_report import FORMATS
from profdev.reports.tasks import roadmap_report_task
from profdev.roadmap.models import Campaign


class Command(BaseCommand):
    help = "Формирует аналитический отчёт об исполнении дорожной карты (DOCX, XLSX или PDF)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--campaign", type=int, default=None)
        parser.add_argument("--out", required=True, help=_("Файл .docx, .xlsx или .pdf"))

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if out.suffix.lower() not in FORMATS:
            raise CommandError(_("Укажите файл .docx, .xlsx или .pdf в --out."))
        if not out.parent.is_dir():
            raise CommandError(_("Папка «%(folder)s» не существует.") % {"folder": out.parent})
        campaigns = Campaign.objects.filter(year=options["year"])
        if options["campaign"]:
            campaigns = campaigns.filter(pk=options["campaign"])
        campaign = campaigns.order_by("-period_start").first()
        if campaign is None:
            raise CommandError(
                _("Кампания за %(year)s год не найдена.") % {"year": options["year"]}
            )
        result = roadmap_report_task.delay(campaign.pk, str(out))
        self.stdout.write(
            self.style.SUCCESS(_("Отчёт сохранён: %(path)s") % {"path": result.get()})
        )
