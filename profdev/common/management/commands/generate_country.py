"""Generate a country-sized data set (85 regions at --scale 1.0) straight into the database."""

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from profdev.common.country import PASSWORD, CountryGenerator


class Command(BaseCommand):
    help = (
        "Генерирует данные страны (при --scale 1.0: 85 регионов, 40 000 ОО, 1 060 000 педагогов, "
        "3 000 000 зачислений) напрямую в базу (COPY в PostgreSQL). Детерминированно от --seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=0.01, help="масштаб (1.0 — вся страна)")
        parser.add_argument("--seed", type=int, default=2026, help="начальное значение генератора")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="дата «сегодня» (ГГГГ-ММ-ДД)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="ничего не делать, если страна уже сгенерирована (для `make country`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if not 0 < scale <= 2:
            raise CommandError("--scale должен быть больше 0 и не больше 2.")
        if options["if_empty"] and CountryGenerator.already_generated():
            self.stdout.write("Страна уже сгенерирована в этой базе: пропускаю.")
            return
        generator = CountryGenerator(
            scale=scale,
            seed=options["seed"],
            today=options["today"],
            log=lambda line: self.stdout.write(f"  {line}"),
        )
        started = time.perf_counter()
        try:
            result = generator.run()
        except ValueError as error:
            raise CommandError(str(error)) from None
        total = sum(result.counts.values())
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Готово: {total} строк за {seconds:.1f} с ({total / seconds:,.0f} строк/с). "
                f"Пользователи g01-official, g01-operator, g01-municipal-<id>; пароль {PASSWORD}."
            )
        )
