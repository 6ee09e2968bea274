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

from django.db.models import CharField, F, Model, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import registered_models

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


def _changes(record: Any) -> list[str]:
    if record.history_type == "-":
        return []
    previous = record.prev_record
    if previous is None:
        return [
            f"{field.attname}: {_show(field.attname, getattr(record, field.attname))}"
            for field in record.instance_type._meta.concrete_fields
            if getattr(record, field.attname, None) not in (None, "") and field.attname != "id"
        ][:20]
    delta = record.diff_against(previous)
    return [
        f"{change.field}: {_show(change.field, change.old)} → {_show(change.field, change.new)}"
        for change in delta.changes
    ]


def describe(rows: list[tuple[Any, ...]]) -> Iterator[AuditRow]:
    """Readable rows for a page of `audit_entries`: who, what, which object, what changed."""
    from profdev.accounts.models import User

    models = audited_models()
    user_ids = {row[3] for row in rows if row[3] is not None}
    users = {user.pk: str(user) for user in User.objects.filter(pk__in=user_ids)}
    for history_id, when, action, user_id, object_id, label in rows:
        model = models[label]
        record = model.history.model.objects.get(history_id=history_id)  # type: ignore[attr-defined]
        yield AuditRow(
            when=when,
            action=ACTIONS.get(action, action),
            user=users.get(user_id, _("система")),
            model=str(model._meta.verbose_name),
            object_id=object_id,
            object=str(record.instance),
            changes=_changes(record),
        )
