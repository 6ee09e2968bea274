"""Set-based inserts of new rows together with their audit-trail rows.

The ORM's bulk_create (and simple-history's bulk_create_with_history on top of it) builds a
model instance and a historical instance per row and renders every value through the field
machinery: at 100,000 rows that costs more than everything else of an import. Here rows go in
as plain tuples.

On PostgreSQL the rows are sent with one binary `COPY … FROM STDIN` (primary keys taken from
the table's sequence in one query). The historical rows are the same rows with the audit
columns (`history_date`, `history_type` '+', `history_user_id`, `history_change_reason`, as
simple-history's own bulk helper sets them) appended, sent with a second COPY in the same
transaction. (A database-side `INSERT … SELECT` from the freshly loaded rows was measured too:
it re-reads every row through the primary key and cost a quarter more than the COPY.)

The COPYs of an import can be sent from a background thread (`CopyWriter`): the PostgreSQL
backend works on one core while this process prepares the next rows on the other (psycopg
waits on the socket without holding the GIL).

Elsewhere (SQLite) rows go in through `common.bulk`, as the demo seeding's do: multi-row
`INSERT … RETURNING` (for their keys), and their history rows with one `executemany`.
"""

import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Any

from django.db import connection
from django.db.models import Model
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


def _column_types(cursor: Any, table: str, columns: str) -> list[int]:
    """The type of each column as the table declares it, for a binary COPY (whose values
    carry no type: each must be sent as exactly the column's)."""
    cursor.execute(f"SELECT {columns} FROM {table} LIMIT 0")
    return [column.type_code for column in cursor.description]


def _copy(
    model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], raw: Any = None
) -> None:
    """One binary COPY of `rows` (values in `columns` order) on Django's connection, or on
    `raw` (the psycopg connection under it, from a `CopyWriter`'s thread).

    Binary, not text: the backend parses no value (dates, numbers, escapes), about a sixth
    less of its CPU per row, and psycopg formats each row in C here (docs/performance.md
    «Import»). A value of the wrong Python type for its column is an error, not a guess."""
    table, names = _table(model), _columns(columns)

    def send(cursor: Any) -> None:
        types = _column_types(cursor, table, names)
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)

    if raw is not None:
        with raw.cursor() as cursor:
            send(cursor)
        return
    with connection.cursor() as cursor:
        send(cursor.cursor)


class CopyWriter:
    """Sends COPYs one after the other from a background thread, on the connection (and in the
    transaction) of the thread that opens it (PostgreSQL).

    `copy()` queues a COPY and returns at once, so the caller prepares the next rows while
    the database works on this one (the rows are formatted in this thread). While the block is open the caller must not use the
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

    def copy(
        self, model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """Queue a COPY of `rows`, which are read in the writer's thread: they must not change
        until the block ends."""
        if self._error is not None:
            raise self._error
        # Looked up at each call, so that a measurement can wrap `_copy` (bench/import_bench).
        self._jobs.put(lambda: _copy(model, columns, rows, raw=self._raw))

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
        inserted = list(reserve_ids(model, len(rows)) if ids is None else ids)
        if len(inserted) != len(rows):
            raise ValueError(f"{len(rows)} rows, {len(inserted)} keys")
        keyed = ((pk, *row) for pk, row in zip(inserted, rows, strict=True))
        if writer is not None:
            writer.copy(model, [model._meta.pk.column, *columns], keyed)
        else:
            _copy(model, [model._meta.pk.column, *columns], keyed)
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
    audit_values = (when, history_type, user_id, reason_value)
    values = ((pk_value, *row, *audit_values) for pk_value, row in zip(ids, rows, strict=True))
    if connection.vendor != "postgresql":
        insert_rows(history, [pk, *columns, *audit], list(values))
    elif writer is not None:
        writer.copy(history, [pk, *columns, *audit], values)
    else:
        _copy(history, [pk, *columns, *audit], values)
