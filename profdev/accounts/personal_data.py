"""Everything the system holds about one person (152-FZ: a subject's request for their data).

Related records are found through the model graph (every model with a foreign key or a
many-to-many link to `Teacher`), so a new app's records are included without a change here.
The export itself is logged in `PersonalDataAccess` (field "export").
"""

import datetime
import decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from profdev.people.models import Teacher

SECRET_FIELDS = {"password"}


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def _record(obj: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.attname in SECRET_FIELDS:
            continue
        data[field.attname] = _value(getattr(obj, field.attname))
    for m2m in obj._meta.many_to_many:
        data[m2m.name] = list(getattr(obj, m2m.name).values_list("pk", flat=True))
    data["__str__"] = str(obj)
    return data


def _history(model: type[models.Model], pks: list[Any]) -> list[dict[str, Any]]:
    history = getattr(model, "history", None)
    if history is None or not pks:
        return []
    rows = history.filter(**{f"{model._meta.pk.attname}__in": pks}).order_by("history_date")
    return [
        {
            "history_date": _value(row.history_date),
            "history_type": row.history_type,
            "history_user_id": row.history_user_id,
            "record": {
                f.attname: _value(getattr(row, f.attname))
                for f in row._meta.concrete_fields
                if not f.attname.startswith("history_") and f.attname not in SECRET_FIELDS
            },
        }
        for row in rows
    ]


def person_data(teacher: Teacher) -> dict[str, Any]:
    """The teacher's record, every record linked to them, and the history of all of these."""
    sections: dict[str, Any] = {}
    for relation in Teacher._meta.related_objects:
        model: Any = relation.related_model
        if model._meta.label.startswith("accounts.Historical") or model.__name__.startswith(
            "Historical"
        ):
            continue
        if relation.many_to_many:
            queryset = model._base_manager.filter(**{relation.field.name: teacher})
        else:
            queryset = model._base_manager.filter(**{relation.field.name: teacher})
        records = list(queryset.order_by("pk").distinct())
        if not records:
            continue
        label = f"{model._meta.label} ({relation.field.name})"
        sections[label] = {
            "records": [_record(obj) for obj in records],
            "history": _history(model, [obj.pk for obj in records]),
        }
    return {
        "generated_at": _value(datetime.datetime.now(datetime.UTC)),
        "teacher": _record(teacher),
        "teacher_history": _history(Teacher, [teacher.pk]),
        "related": sections,
    }
