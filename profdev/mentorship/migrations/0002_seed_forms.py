"""Seed the catalogue of mentoring forms named in the program."""

from typing import Any

from django.db import migrations

FORMS = (
    ("teacher_teacher", "педагог – педагог"),
    ("manager_teacher", "руководитель – педагог"),
    ("experienced_young", "опытный педагог – молодой специалист"),
)


def seed(apps: Any, schema_editor: Any) -> None:
    MentoringForm = apps.get_model("mentorship", "MentoringForm")
    for order, (code, name) in enumerate(FORMS, start=1):
        MentoringForm.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("mentorship", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
