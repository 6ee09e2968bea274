"""Set-based inserts of new rows together with their audit-trail rows.

The ORM's bulk_create (and simple-history's bulk_create_with_history on top of it) builds a
model instance and a historical instance per row and renders every value through the field
machinery: at 100,000 rows that costs more than everything else of an import. Here rows go in
as plain tuples.

On PostgreSQL the rows are sent with one `COPY … FROM STDIN` whose text is built a column at a
time (primary keys taken from the table's sequence in one query). The historical rows are the
same text with the audit columns (`history_date`, `history_type` '+', `history_user_id`,
`history_change_reason`, as simple-history's own bulk helper sets them) appended to every line,
sent with a second COPY in the same transaction: no value is converted twice. (A database-side
`INSERT … SELECT` from the freshly loaded rows was measured too: it re-reads every row through
the primary key and cost a quarter more than the COPY.)

Elsewhere (SQLite) rows go in through `common.bulk`, as the demo seeding's do: multi-row
`INSERT … RETURNING` (for their keys), and their history rows with one `executemany`.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import BooleanField, DateField, DateTimeField, Model
from django.utils import timezone

from profdev.common.bulk import insert_returning_ids, insert_rows


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(names: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def _reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` new primary keys from the table's sequence (PostgreSQL), in one query."""
    with connection.cursor() as cursor:
        # The sequence is looked up once: pg_get_serial_sequence() in the select list would
        # run a catalogue look-up per row (seven times the cost of the nextval() calls).
        cursor.execute(
            "WITH sequence AS MATERIALIZED "
            "(SELECT pg_get_serial_sequence(%s, %s)::regclass AS id) "
            "SELECT nextval(sequence.id) FROM sequence, generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


# COPY's text format: these characters in a value must be escaped with a backslash.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _text(value: Any) -> str:
    """One value in COPY's text format (the general case, for uncommon types)."""
    if value is None:
        return _NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _text_column(values: list[Any], field: Any) -> list[str]:
    """A column of values in COPY's text format, the common types without a call per value."""
    if isinstance(field, BooleanField):
        return ["t" if v else ("f" if v is not None else _NULL) for v in values]
    if isinstance(field, DateField) and not isinstance(field, DateTimeField):
        return [_NULL if v is None else v.isoformat() for v in values]
    types = set(map(type, values))
    if types == {str}:
        # Escapes are rare: one scan of the whole column decides whether any value needs them.
        joined = "".join(values)
        if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
            return [v.translate(_COPY_ESCAPES) for v in values]
        return values
    if types == {int}:
        return list(map(str, values))
    return [_text(v) for v in values]


def copy_text(model: type[Model], columns: Sequence[str], values: Sequence[Sequence[Any]]) -> str:
    """The body of a text-format COPY from the values of each column (`columns` order)."""
    fields = [model._meta.get_field(name) for name in columns]
    texts = [_text_column(list(v), field) for v, field in zip(values, fields, strict=True)]
    return "\n".join(map("\t".join, zip(*texts, strict=True))) + "\n"


def _copy(model: type[Model], columns: Sequence[str], text: str) -> None:
    with connection.cursor() as cursor:
        raw: Any = cursor.cursor
        with raw.copy(f"COPY {_table(model)} ({_columns(columns)}) FROM STDIN") as copy:
            copy.write(text)


def copy_columns(
    model: type[Model], columns: Sequence[str], values: Sequence[Sequence[Any]]
) -> None:
    """COPY complete rows (keys included), given a column at a time (PostgreSQL)."""
    _copy(model, columns, copy_text(model, columns, values))


class InsertedIds(list[int]):
    """The new primary keys in the order of the rows, with the COPY text that inserted them
    (PostgreSQL), which `insert_history` reuses for the audit rows."""

    copy_text: str = ""


def _complete(
    model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> tuple[list[str], Sequence[Sequence[Any]]]:
    """`columns` and `rows` with every other concrete field at its default: a field added to
    the model later is written (and recorded in the history) without the caller knowing it."""
    missing = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname not in columns
    ]
    if not missing:
        return list(columns), rows
    defaults = tuple(field.get_default() for field in missing)
    return [*columns, *(field.attname for field in missing)], [(*row, *defaults) for row in rows]


def insert(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Insert rows (values in `columns` order, no primary key); returns the new keys in order.

    Concrete fields not in `columns` get their default."""
    if not rows:
        return []
    columns, rows = _complete(model, columns, rows)
    if connection.vendor == "postgresql":
        ids = InsertedIds(_reserve_ids(model, len(rows)))
        pk = model._meta.pk.column
        ids.copy_text = copy_text(model, [pk, *columns], [ids, *zip(*rows, strict=True)])
        _copy(model, [pk, *columns], ids.copy_text)
        return ids
    return insert_returning_ids(model, columns, rows)


def _history_tail(model: type[Model], user: Any, reason: str) -> tuple[Any, int | None, Any]:
    """history_date, history_user_id and history_change_reason as simple-history sets them."""
    history: Any = model.history.model  # type: ignore[attr-defined]
    limit = history._meta.get_field("history_change_reason").max_length
    return timezone.now(), getattr(user, "pk", None), reason[:limit] or None


def insert_history(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    ids: Sequence[int],
    *,
    user: Any,
    reason: str = "",
    history_type: str = "+",
) -> None:
    """The audit rows of freshly inserted `rows` (same `columns`, keys `ids` from `insert`)."""
    if not ids:
        return
    columns, rows = _complete(model, columns, rows)
    history: Any = model.history.model  # type: ignore[attr-defined]
    when, user_id, reason_value = _history_tail(model, user, reason)
    audit = ["history_date", "history_type", "history_user_id", "history_change_reason"]
    pk = model._meta.pk.column
    if connection.vendor == "postgresql":
        text = getattr(ids, "copy_text", "") or copy_text(
            model, [pk, *columns], [ids, *zip(*rows, strict=True)]
        )
        tail = "\t".join(_text(value) for value in ("", when, history_type, user_id, reason_value))
        # Values are escaped, so the only line breaks left are the ends of the rows.
        _copy(history, [pk, *columns, *audit], text.replace("\n", tail + "\n"))
        return
    audit_values = (when, history_type, user_id, reason_value)
    values = [(pk_value, *row, *audit_values) for pk_value, row in zip(ids, rows, strict=True)]
    insert_rows(history, [pk, *columns, *audit], values)
