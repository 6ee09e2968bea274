"""Set-based inserts of new rows together with their audit-trail rows.

The ORM's bulk_create (and simple-history's bulk_create_with_history on top of it) builds a
model instance and a historical instance per row and renders every value through the field
machinery: at 100,000 rows that costs more than everything else of an import. Here rows go in
as plain tuples: on PostgreSQL with COPY (primary keys taken from the table's sequence in one
query), elsewhere as multi-row INSERT … RETURNING. The historical rows are the same tuples
plus the audit columns (`history_date`, `history_type` '+', `history_user_id`,
`history_change_reason`), written the same way, so the trail is as complete as
simple-history's own bulk helper makes it.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(names: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def _reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` new primary keys from the table's sequence (PostgreSQL), in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    with connection.cursor() as cursor:
        raw: Any = cursor.cursor
        with raw.copy(f"COPY {_table(model)} ({_columns(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _adapt(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Values as the SQLite backend stores them (dates and times as ISO text)."""
    ops = connection.ops
    adapted = []
    for row in rows:
        values = list(row)
        for index, value in enumerate(values):
            if isinstance(value, datetime.datetime):
                values[index] = ops.adapt_datetimefield_value(value)
            elif isinstance(value, datetime.date):
                values[index] = value.isoformat()
        adapted.append(values)
    return adapted


def _insert_returning(
    model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]], returning: bool
) -> list[int]:
    limit = connection.features.max_query_params or 999
    per_statement = max(1, min(500, limit // max(1, len(columns))))
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = _adapt(rows[start : start + per_statement])
            sql = f"INSERT INTO {_table(model)} ({_columns(columns)}) VALUES " + ", ".join(
                [placeholders] * len(batch)
            )
            if returning:
                sql += f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}"
            cursor.execute(sql, [value for row in batch for value in row])
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())
    return ids


def insert(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Insert rows (values in `columns` order, no primary key); returns the new keys in order."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        ids = _reserve_ids(model, len(rows))
        pk = model._meta.pk.column
        _copy(
            model,
            [pk, *columns],
            [(pk_value, *row) for pk_value, row in zip(ids, rows, strict=True)],
        )
        return ids
    return _insert_returning(model, columns, rows, returning=True)


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
    """The audit rows of freshly inserted `rows` (same `columns`, keys `ids`)."""
    if not rows:
        return
    history: Any = model.history.model  # type: ignore[attr-defined]
    when = timezone.now()
    user_id = getattr(user, "pk", None)
    reason_value = reason[: history._meta.get_field("history_change_reason").max_length] or None
    history_columns = [
        "id",
        *columns,
        "history_date",
        "history_type",
        "history_user_id",
        "history_change_reason",
    ]
    tail = (when, history_type, user_id, reason_value)
    values = [(pk, *row, *tail) for pk, row in zip(ids, rows, strict=True)]
    if connection.vendor == "postgresql":
        _copy(history, history_columns, values)
    else:
        _insert_returning(history, history_columns, values, returning=False)
