"""Build the demo region (Tomsk Region) with every app's records; safe to run again."""

import datetime
import importlib
import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from profdev.common.demo import DemoContext

# Order matters: each app builds on the records of the ones before it.
DEMO_APPS = [
    "orgs",
    "people",
    "accounts",
    "learning",
    "events",
    "mentorship",
    "roadmap",
    "indicators",
]


class Command(BaseCommand):
    help = "Заполняет демонстрационные данные Томской области (детерминированно, повторный запуск ничего не дублирует)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="начальное значение генератора")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="масштаб: 1.0 ≈ 330 школ и 12 000 педагогов"
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="дата «сегодня» (ГГГГ-ММ-ДД)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] <= 0 or options["scale"] > 20:
            self.stderr.write("--scale должен быть больше 0 и не больше 20")
            raise SystemExit(2)
        today = options["today"] or datetime.date.today()
        ctx = DemoContext(rng=random.Random(options["seed"]), scale=options["scale"], today=today)
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"profdev.{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"profdev.{app}.demo":
                    raise
                continue
            started = time.perf_counter()
            with transaction.atomic():
                module.seed(ctx)
            for line in ctx.log:
                self.stdout.write(line)
            ctx.log.clear()
            self.stdout.write(f"  [{app}: {time.perf_counter() - started:.1f} с]")
        # Fresh tables have no planner statistics; without them the indicator queries are 10x slower.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("Демонстрационные данные готовы."))
