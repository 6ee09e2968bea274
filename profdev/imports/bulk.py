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

The COPYs of an import can be sent from a background thread (`CopyWriter`): the PostgreSQL
backend works on one core while this process builds the next COPY text on the other (psycopg
waits on the socket without holding the GIL).

Elsewhere (SQLite) rows go in through `common.bulk`, as the demo seeding's do: multi-row
`INSERT … RETURNING` (for their keys), and their history rows with one `executemany`.
"""

import datetime
import queue
import threading
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

from django.db import connection
from django.db.models import BooleanField, DateField, DateTimeField, Model
from django.utils import timezone

from profdev.common.bulk import insert_returning_ids, insert_rows


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(names: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` new primary keys from the table's sequence (PostgreSQL), in one query."""
    if not count:
        return []
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


def _copy(model: type[Model], columns: Sequence[str], text: str, raw: Any = None) -> None:
    """One COPY on Django's connection, or on `raw` (the psycopg connection under it, from
    a `CopyWriter`'s thread)."""
    statement = f"COPY {_table(model)} ({_columns(columns)}) FROM STDIN"
    if raw is not None:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write(text)
        return
    with connection.cursor() as cursor:
        raw_cursor: Any = cursor.cursor
        with raw_cursor.copy(statement) as copy:
            copy.write(text)


class CopyWriter:
    """Sends COPYs one after the other from a background thread, on the connection (and in the
    transaction) of the thread that opens it (PostgreSQL).

    `copy()` queues a COPY and returns at once, so the caller builds the next COPY text while
    the database works on this one. While the block is open the caller must not use the
    connection itself (psycopg would make it wait for the COPY in progress). The block ends
    when every queued COPY is done; the first error of a COPY is raised there (the later
    COPYs are not sent), and an error of the block itself waits for the COPY in progress
    before it propagates, so the transaction is rolled back with the connection idle.
    """

    def __init__(self) -> None:
        connection.ensure_connection()
        self._raw = connection.connection
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="import-copy", daemon=True)

    def __enter__(self) -> "CopyWriter":
        self._thread.start()
        return self

    def copy(self, model: type[Model], columns: Sequence[str], text: str) -> None:
        if self._error is not None:
            raise self._error
        # Looked up at each call, so that a measurement can wrap `_copy` (bench/import_bench).
        self._jobs.put(lambda: _copy(model, columns, text, raw=self._raw))

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._error is None:
                try:
                    job()
                except BaseException as error:  # re-raised in the caller's thread
                    self._error = error

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._jobs.put(None)
        self._thread.join()
        if exc_type is None and self._error is not None:
            raise self._error


def copy_columns(
    model: type[Model],
    columns: Sequence[str],
    values: Sequence[Sequence[Any]],
    writer: CopyWriter | None = None,
) -> None:
    """COPY complete rows (keys included), given a column at a time (PostgreSQL)."""
    text = copy_text(model, columns, values)
    if writer is not None:
        writer.copy(model, columns, text)
    else:
        _copy(model, columns, text)


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


def insert(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    ids: Sequence[int] | None = None,
    writer: CopyWriter | None = None,
) -> list[int]:
    """Insert rows (values in `columns` order, no primary key); returns the new keys in order.

    Concrete fields not in `columns` get their default. PostgreSQL: `ids` are keys already
    taken with `reserve_ids` (otherwise they are taken here), and with `writer` the COPY is
    sent from its thread."""
    if not rows:
        return []
    columns, rows = _complete(model, columns, rows)
    if connection.vendor == "postgresql":
        inserted = InsertedIds(reserve_ids(model, len(rows)) if ids is None else ids)
        if len(inserted) != len(rows):
            raise ValueError(f"{len(rows)} rows, {len(inserted)} keys")
        pk = model._meta.pk.column
        inserted.copy_text = copy_text(model, [pk, *columns], [inserted, *zip(*rows, strict=True)])
        if writer is not None:
            writer.copy(model, [pk, *columns], inserted.copy_text)
        else:
            _copy(model, [pk, *columns], inserted.copy_text)
        return inserted
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
    writer: CopyWriter | None = None,
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
        text = text.replace("\n", tail + "\n")
        if writer is not None:
            writer.copy(history, [pk, *columns, *audit], text)
        else:
            _copy(history, [pk, *columns, *audit], text)
        return
    audit_values = (when, history_type, user_id, reason_value)
    values = [(pk_value, *row, *audit_values) for pk_value, row in zip(ids, rows, strict=True)]
    insert_rows(history, [pk, *columns, *audit], values)
