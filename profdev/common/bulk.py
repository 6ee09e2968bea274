"""Fast bulk writes: plain rows with `executemany` or multi-row `INSERT … RETURNING`, and audit
rows for them. The demo seeding uses all of it; the imports use `insert_rows` and
`insert_returning_ids` where COPY is not available (SQLite).

`bulk_create_with_history` builds a model instance for every row and another for its history
row, then renders each INSERT through the ORM compiler; at the demo's ~200,000 rows that costs
most of the seeding time. Here link tables, scores and transitions go in as tuples, and the
history of records created by `bulk_create` is written as tuples too: the same columns
simple-history writes (`history_type` "+", the date, no user, no reason), so the audit trail
holds every seeded record exactly as it would after `bulk_create_with_history`.
"""

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH = 5000
CHUNK = 900  # values per `IN (…)`: below SQLite's limit of host parameters per query


def chunks(values: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _converter(field: Any) -> Callable[[Any], Any] | None:
    """How a Python value of the field goes to the database driver (None: as it is)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    if isinstance(field, models.FileField):
        return lambda value: getattr(value, "name", value) or ""
    return None


def _pk_column(model: type[models.Model]) -> str:
    pk: Any = model._meta.pk
    return str(pk.column)


def _batches(rows: Iterable[Any], size: int) -> Iterable[list[Any]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _adapted(fields: Sequence[Any], rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Rows as the driver takes them, converted a column at a time: only the columns whose
    field needs a conversion (dates, decimals, files) are touched."""
    converters = [_converter(field) for field in fields]
    if not any(converters):
        return [tuple(row) for row in rows]
    columns: list[Any] = list(zip(*rows, strict=True)) or [() for _ in fields]
    for index, convert in enumerate(converters):
        if convert is not None:
            columns[index] = [convert(v) if v is not None else v for v in columns[index]]
    return list(zip(*columns, strict=True))


def _fields(model: type[models.Model], columns: Sequence[str]) -> list[Any]:
    return [model._meta.get_field(name) for name in columns]


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """INSERT rows (tuples in the order of `columns`, field names or attnames) into the model's
    table with `executemany`; no ids come back. Returns the number of rows."""
    fields = _fields(model, columns)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    count = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, BATCH):
            cursor.executemany(sql, _adapted(fields, batch))
            count += len(batch)
    return count


def insert_history(
    model: type[models.Model], objs: Iterable[models.Model], history_type: str = "+"
) -> int:
    """Write history rows of saved records (ids set), as simple-history would: "+" created,
    "~" changed."""
    history_model: Any = model.history.model  # type: ignore[attr-defined]
    fields = [f for f in history_model._meta.concrete_fields if f.attname != "history_id"]
    now = timezone.now()
    special = {
        "history_date": lambda obj: now,
        "history_type": lambda obj: history_type,
        "history_user_id": lambda obj: None,
        "history_change_reason": lambda obj: None,
    }
    files = {f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)}

    def getter(name: str) -> Callable[[Any], Any]:
        if name in special:
            return special[name]
        if name in files:  # history keeps the file's name
            return lambda obj: getattr(obj, name).name or ""
        return lambda obj: getattr(obj, name)

    getters = [getter(f.attname) for f in fields]
    return insert_rows(
        history_model,
        [f.attname for f in fields],
        (tuple(get(obj) for get in getters) for obj in objs),
    )


def insert_returning_ids(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """INSERT rows in multi-row statements with `RETURNING id`, ids in the order of the rows."""
    fields = _fields(model, columns)
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
    )
    tail = f" RETURNING {quote(_pk_column(model))}"
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, min(1000, 30000 // len(fields)))  # under SQLite's variable limit
    ids: list[int] = []
    with connection.cursor() as cursor:
        for batch in _batches(rows, per_statement):
            params = [value for row in _adapted(fields, batch) for value in row]
            cursor.execute(head + ", ".join([one] * len(batch)) + tail, params)
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def create_with_history(
    model: type[models.Model], objs: list[Any], batch_size: int = 2000
) -> list[Any]:
    """Insert new records (their ids are set on them) and their "created" history rows.

    The same rows as `bulk_create_with_history`, without the ORM compiler per value.
    """
    if not objs:
        return []
    if not connection.features.can_return_rows_from_bulk_insert:
        created = model._default_manager.bulk_create(objs, batch_size=batch_size)
    else:
        pk = model._meta.pk
        fields = [f for f in model._meta.concrete_fields if f is not pk]
        names = [f.attname for f in fields]
        files = {f.attname for f in fields if isinstance(f, models.FileField)}
        rows = [
            tuple(
                (getattr(obj, name).name or "") if name in files else getattr(obj, name)
                for name in names
            )
            for obj in objs
        ]
        for obj, pk_value in zip(objs, insert_returning_ids(model, names, rows), strict=True):
            obj.pk = pk_value
            obj._state.adding = False
            obj._state.db = connection.alias
        created = objs
    if any(obj.pk is None for obj in created):
        raise RuntimeError("the database returned no ids for the new records")
    insert_history(model, created)
    return created


def update_with_history(model: type[models.Model], objs: list[Any], fields: Sequence[str]) -> int:
    """UPDATE the given fields of saved records, one `executemany`, and write "~" history rows."""
    if not objs:
        return 0
    model_fields: list[Any] = [model._meta.get_field(name) for name in fields]
    converters = [_converter(field) for field in model_fields]
    attnames = [field.attname for field in model_fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in model_fields)
    table, pk_column = quote(model._meta.db_table), quote(_pk_column(model))
    sql = f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s"
    with connection.cursor() as cursor:
        for batch in _batches(objs, BATCH):
            cursor.executemany(
                sql,
                [
                    (
                        *(
                            convert(value) if convert and value is not None else value
                            for convert, value in zip(
                                converters, (getattr(obj, a) for a in attnames), strict=True
                            )
                        ),
                        obj.pk,
                    )
                    for obj in batch
                ],
            )
    insert_history(model, objs, history_type="~")
    return len(objs)
