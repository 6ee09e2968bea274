from decimal import Decimal

from django.db import migrations

AREAS = [
    ("subject", "Предметная компетенция"),
    ("methodical", "Методическая компетенция"),
    ("psych_pedagogical", "Психолого-педагогическая компетенция"),
    ("communicative", "Коммуникативная компетенция"),
    ("digital", "Цифровая компетенция"),
]


def seed(apps, schema_editor):
    CompetenceArea = apps.get_model("learning", "CompetenceArea")
    for order, (code, name) in enumerate(AREAS, start=1):
        CompetenceArea.objects.get_or_create(
            code=code, defaults={"name": name, "order": order, "threshold": Decimal("60")}
        )


def unseed(apps, schema_editor):
    apps.get_model("learning", "CompetenceArea").objects.filter(
        code__in=[code for code, _ in AREAS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
