"""Seed the 2021–2023 minimum values of order 308-р."""

from decimal import Decimal

from django.db import migrations

# indicator: (unit, 2021, 2022, 2023)
ORDER_308 = {
    "1": ("share", 5, 10, 10),
    "2": ("share", 5, 10, 10),
    "3": ("share", 50, 100, 100),
    "4": ("count", 2, 4, 4),
    "5": ("share", 10, 10, 10),
    "6": ("share", 10, 20, 20),
    "7": ("share", 10, 20, 20),
}


def seed(apps, schema_editor):
    Target = apps.get_model("indicators", "Target")
    for code, (unit, *values) in ORDER_308.items():
        for year, value in zip((2021, 2022, 2023), values, strict=True):
            Target.objects.get_or_create(
                indicator=code,
                year=year,
                defaults={"value": Decimal(value), "unit": unit, "note": "Распоряжение 308-р"},
            )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
