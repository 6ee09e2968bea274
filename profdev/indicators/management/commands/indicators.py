"""`python manage.py indicators --year Y [--municipality ID] [--as-of DATE] --format json`."""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from profdev.indicators import compute
from profdev.orgs.models import Municipality, Region


class Command(BaseCommand):
    help = "Показатели ЦНППМ за год для региона или муниципалитета (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True)
        parser.add_argument("--municipality", type=int)
        parser.add_argument("--region", help=_("Код региона (по умолчанию — первый)."))
        parser.add_argument("--as-of", dest="as_of")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = compute.parse_year(options["year"])
            as_of = compute.parse_as_of(options["as_of"], year)
        except ValidationError as error:
            raise CommandError(
                "; ".join(m for ms in error.message_dict.values() for m in ms)
            ) from None
        municipality = None
        if options["municipality"] is not None:
            municipality = (
                Municipality.objects.select_related("region")
                .filter(pk=options["municipality"])
                .first()
            )
            if municipality is None:
                raise CommandError(_("Муниципалитет не найден."))
            region = municipality.region
        else:
            regions = Region.objects.all()
            if options["region"]:
                regions = regions.filter(code=options["region"])
            found = regions.first()
            if found is None:
                raise CommandError(_("Регион не найден."))
            region = found
        params = compute.Params(year, region, municipality, as_of)
        data = compute.as_json(params, compute.compute(params))
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
