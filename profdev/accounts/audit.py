"""The audit trail: every model's simple-history table read as one list, searchable by the operator.

One `UNION ALL` over the historical tables (id, date, action, user, object id, model), filtered
in each part, ordered by date and paginated by the database; the changes of the rows on a page
(field: before → after) are computed from each record and its predecessor. SNILS values are
masked in the changes, as everywhere else.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, F, Model, Q, QuerySet, Value, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import registered_models
from simple_history.utils import get_m2m_reverse_field_name

from profdev.common.bulk import chunks
from profdev.common.identifiers import mask_snils
from profdev.orgs.scoping import Level, scope_of

ACTIONS = {
    "+": gettext_lazy("создание"),
    "~": gettext_lazy("изменение"),
    "-": gettext_lazy("удаление"),
}
COLUMNS = ("history_id", "history_date", "history_type", "history_user_id", "object_id", "model")
SENSITIVE_FIELDS = {"snils"}


def audited_models() -> dict[str, type[Model]]:
    """Tracked models by label ("people.Teacher"), in a stable order."""
    models = {
        model._meta.label: model
        for model in registered_models.values()
        if not model._meta.auto_created and hasattr(model, "history")
    }
    return dict(sorted(models.items()))


def model_choices() -> list[tuple[str, str]]:
    return [
        (label, f"{model._meta.verbose_name} ({label})")
        for label, model in audited_models().items()
    ]


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    model: str | None = None
    object_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    action: str | None = None


def _scope_q(model: type[Model], user: Any) -> Q | None:
    """History rows a regional operator may see: records of their scope, writes of their users.

    None means no restriction (an operator bound to no region, a superuser).
    """
    scope = scope_of(user)
    if scope.level == Level.ALL:
        return None
    region_id = getattr(user, "region_id", None)
    by_their_users = Q(history_user__region_id=region_id)
    pk = model._meta.pk.attname
    manager: Any = model._default_manager
    if hasattr(manager, "for_user"):
        return Q(**{f"{pk}__in": manager.for_user(user).values("pk")}) | by_their_users
    if any(f.attname == "region_id" for f in model._meta.concrete_fields):
        return Q(region_id=region_id) | by_their_users
    return Q()  # reference lists shared by every region (subjects, competence areas, forms)


def _part(model: type[Model], flt: AuditFilter, user: Any) -> QuerySet[Any]:
    history: Any = model.history.model  # type: ignore[attr-defined]
    queryset = history.objects.all()
    condition = _scope_q(model, user)
    if condition is not None:
        queryset = queryset.filter(condition)
    if flt.user_id is not None:
        queryset = queryset.filter(history_user_id=flt.user_id)
    if flt.object_id is not None:
        queryset = queryset.filter(**{model._meta.pk.attname: flt.object_id})
    if flt.action:
        queryset = queryset.filter(history_type=flt.action)
    tz = timezone.get_current_timezone()
    if flt.date_from:
        start = datetime.datetime.combine(flt.date_from, datetime.time.min, tzinfo=tz)
        queryset = queryset.filter(history_date__gte=start)
    if flt.date_to:
        end = datetime.datetime.combine(flt.date_to, datetime.time.max, tzinfo=tz)
        queryset = queryset.filter(history_date__lte=end)
    return (
        queryset.order_by()
        .annotate(
            object_id=F(model._meta.pk.attname),
            model=Value(model._meta.label, output_field=CharField()),
        )
        .values_list(*COLUMNS)
    )


def audit_entries(flt: AuditFilter, *, user: Any) -> QuerySet[Any]:
    """Rows (history_id, date, action, user id, object id, model label), newest first."""
    models = audited_models()
    if flt.model:
        models = {flt.model: models[flt.model]} if flt.model in models else {}
    parts = [_part(model, flt, user) for model in models.values()]
    if not parts:
        from profdev.accounts.models import User

        return User.objects.none().values_list("id")
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-history_date", "-history_id")


@dataclass
class AuditRow:
    when: datetime.datetime
    action: str
    user: str
    model: str
    object_id: int
    object: str
    changes: list[str]

    def as_cells(self) -> list[Any]:
        return [
            timezone.localtime(self.when),
            self.user,
            self.action,
            self.model,
            self.object_id,
            self.object,
            "; ".join(self.changes),
        ]


def _show(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field in SENSITIVE_FIELDS and isinstance(value, str):
        return mask_snils(value)
    return str(value)


def _changes(record: Any, previous: Any, m2m: dict[tuple[str, int], list[Any]]) -> list[str]:
    """What a record changed against the object's previous record (all its values if none),
    as simple-history's `diff_against` gives it; `m2m`: the rows of `_saved_m2m`."""
    if record.history_type == "-":
        return []
    if previous is None:
        return [
            f"{field.attname}: {_show(field.attname, getattr(record, field.attname))}"
            for field in record.instance_type._meta.concrete_fields
            if getattr(record, field.attname, None) not in (None, "") and field.attname != "id"
        ][:20]
    names = [field.name for field in previous._history_m2m_fields]
    delta = record.diff_against(previous, excluded_fields=names)
    changes = [(change.field, change.old, change.new) for change in delta.changes]
    for name in names:
        old, new = m2m.get((name, previous.history_id), []), m2m.get((name, record.history_id), [])
        if old != new:
            changes.append((name, old, new))
    return [
        f"{field}: {_show(field, old)} → {_show(field, new)}" for field, old, new in sorted(changes)
    ]


def _previous_records(history: Any, records: list[Any]) -> dict[int, Any]:
    """Each record's predecessor (by history id): the object's latest earlier record, as
    simple-history's `prev_record` finds it, for all records with one query per chunk."""
    pk = history.instance_type._meta.pk.attname
    latest = max(record.history_date for record in records)
    earlier: dict[Any, list[Any]] = {}
    for part in chunks(sorted({getattr(record, pk) for record in records})):
        for older in history.objects.filter(**{f"{pk}__in": part, "history_date__lt": latest}):
            earlier.setdefault(getattr(older, pk), []).append(older)
    previous: dict[int, Any] = {}
    for record in records:
        candidates = [
            older
            for older in earlier.get(getattr(record, pk), ())
            if older.history_date < record.history_date
        ]
        if candidates:
            previous[record.history_id] = max(
                candidates, key=lambda older: (older.history_date, older.history_id)
            )
    return previous


def _saved_m2m(history: Any, history_ids: list[int]) -> dict[tuple[str, int], list[Any]]:
    """The many-to-many rows each record saved, by (field, history id), as `diff_against`
    reads them (the through rows' values, ordered by the related object): one query per
    field and chunk instead of two per record."""
    rows: dict[tuple[str, int], list[Any]] = {}
    for field in history._history_m2m_fields:
        through = getattr(history, field.name).model  # simple-history's historical m2m model
        names = [
            f.name
            for f in through._meta.fields
            if f.editable and f.name not in ("id", "m2m_history_id", "history")
        ]
        order = get_m2m_reverse_field_name(field)
        for part in chunks(history_ids):
            saved = through.objects.filter(history_id__in=part).order_by(order)
            for row in saved.values("history_id", *names):
                rows.setdefault((field.name, row.pop("history_id")), []).append(row)
    return rows


def _object_texts(model: type[Model], records: list[Any]) -> dict[int, str]:
    """Each record's object as text (by history id). The objects its text may mention (its
    foreign keys and theirs) are read once per page, not once per row. A related object that
    is gone since does not fail the page: prefetched, it reads as None in the text; further
    away, the record reads as its kind and number."""
    instances = [record.instance for record in records]
    paths = []
    for field in model._meta.concrete_fields:
        related: Any = field.related_model
        if field.many_to_one and related is not None:
            paths.append(field.name)
            paths += [
                f"{field.name}__{inner.name}"
                for inner in related._meta.concrete_fields
                if inner.many_to_one
            ]
    for part in chunks(instances):
        prefetch_related_objects(part, *paths)
    texts = {}
    for record, instance in zip(records, instances, strict=True):
        try:
            texts[record.history_id] = str(instance)
        except ObjectDoesNotExist:
            texts[record.history_id] = f"{model._meta.verbose_name} № {instance.pk}"
    return texts


def describe(rows: list[tuple[Any, ...]]) -> Iterator[AuditRow]:
    """Readable rows for a page or an export of `audit_entries`: who, what, which object, what
    changed. A few queries per model of the rows (the records, their predecessors, the objects
    they mention), whatever their number: row by row, an export of 20,000 took 40 s."""
    from profdev.accounts.models import User

    models = audited_models()
    user_ids = sorted({row[3] for row in rows if row[3] is not None})
    users = {
        user.pk: str(user) for part in chunks(user_ids) for user in User.objects.filter(pk__in=part)
    }
    ids_by_label: dict[str, list[int]] = {}
    for row in rows:
        ids_by_label.setdefault(row[5], []).append(row[0])
    records: dict[tuple[str, int], Any] = {}
    previous: dict[tuple[str, int], Any] = {}
    texts: dict[tuple[str, int], str] = {}
    m2m: dict[str, dict[tuple[str, int], list[Any]]] = {}
    for label, history_ids in ids_by_label.items():
        model = models[label]
        history: Any = model.history.model  # type: ignore[attr-defined]
        found = [
            record
            for part in chunks(history_ids)
            for record in history.objects.filter(history_id__in=part)
        ]
        records.update(((label, record.history_id), record) for record in found)
        if not found:
            continue
        predecessors = _previous_records(history, found)
        for history_id, older in predecessors.items():
            previous[label, history_id] = older
        if history._history_m2m_fields:
            ids = {record.history_id for record in found}
            ids.update(older.history_id for older in predecessors.values())
            m2m[label] = _saved_m2m(history, sorted(ids))
        for history_id, text in _object_texts(model, found).items():
            texts[label, history_id] = text
    for history_id, when, action, user_id, object_id, label in rows:
        model = models[label]
        record = records[label, history_id]
        yield AuditRow(
            when=when,
            action=ACTIONS.get(action, action),
            user=users.get(user_id, _("система")),
            model=str(model._meta.verbose_name),
            object_id=object_id,
            object=texts[label, history_id],
            changes=_changes(record, previous.get((label, history_id)), m2m.get(label, {})),
        )
