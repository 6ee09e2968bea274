"""Demo targets: order 308-р minimums (also seeded by migration) and the operator's later ones."""

from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from profdev.common.demo import DemoContext
from profdev.indicators.models import Target

# indicator: (unit, 2021, 2022, 2023, later years as set by the operator)
DEMO_TARGETS = {
    "1": ("share", 5, 10, 10, 15),
    "2": ("share", 5, 10, 10, 15),
    "3": ("share", 50, 100, 100, 100),
    "4": ("count", 2, 4, 4, 6),
    "5": ("share", 10, 10, 10, 15),
    "6": ("share", 10, 20, 20, 30),
    "7": ("share", 10, 20, 20, 25),
}


def seed(ctx: DemoContext) -> None:
    """Targets for 2021 to next year; existing (indicator, year) pairs are left as they are."""
    existing = set(Target.objects.values_list("indicator", "year"))
    new = []
    for code, (unit, y2021, y2022, y2023, later) in DEMO_TARGETS.items():
        for year in range(2021, ctx.today.year + 2):
            if (code, year) in existing:
                continue
            value = {2021: y2021, 2022: y2022, 2023: y2023}.get(year, later)
            note = "Распоряжение 308-р" if year <= 2023 else "Задано оператором"
            new.append(
                Target(indicator=code, year=year, value=Decimal(value), unit=unit, note=note)
            )
    bulk_create_with_history(new, Target)
    ctx.say(f"Показатели: целевых значений добавлено {len(new)}")
