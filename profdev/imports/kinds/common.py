"""Helpers the kinds share: set-based look-ups of people and scope, and person columns."""

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from profdev.common.bulk import chunks
from profdev.imports.columns import Column
from profdev.imports.values import CellError, clean_text, normalize_key, split_full_name
from profdev.orgs.scoping import Action, Scope
from profdev.people.models import Teacher

PG_CHUNK = 20_000  # PostgreSQL takes the values as one array parameter


def any_of(queryset: Any, column: str, values: list[Any]) -> Iterable[Any]:
    """`queryset` filtered to `column` among `values`, one query per chunk.

    On PostgreSQL the chunk is one array parameter (`= ANY(%s)`), not thousands of
    placeholders to render and parse; elsewhere an ordinary `IN`.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        name = connection.ops.quote_name(column)
        for part in chunks(values, PG_CHUNK):
            literal = _array_literal(part)
            if literal is None:
                yield from queryset.extra(where=[f"{table}.{name} = ANY(%s)"], params=[part])
            else:
                where = f"{table}.{name} = ANY(%s::{literal[1]}[])"
                yield from queryset.extra(where=[where], params=[literal[0]])
        return
    for part in chunks(values):
        yield from queryset.filter(**{f"{column}__in": part})


def _array_literal(values: list[Any]) -> tuple[str, str] | None:
    """Integers or plain strings as one PostgreSQL array literal and its element type: one
    string to send instead of an array the driver builds value by value."""
    types = set(map(type, values))
    if types == {int}:
        return "{" + ",".join(map(str, values)) + "}", "bigint"
    if types == {str}:
        text = "".join(values)
        if "\\" not in text and '"' not in text:
            return '{"' + '","'.join(values) + '"}', "text"
    return None


def teachers_by_snils(snils: Iterable[str]) -> dict[str, Teacher]:
    """Teachers of the given SNILS, one query per chunk."""
    return {t.snils: t for t in any_of(Teacher.objects.all(), "snils", sorted(set(snils)))}


def ids_in_scope(model: Any, scope: Scope, ids: Iterable[int], action: Action) -> set[int]:
    """Which of `ids` the scope reaches for `action`, one query per chunk."""
    queryset = model.objects.for_scope(scope, action).values_list("pk", flat=True)
    return set(any_of(queryset, "id", sorted(set(ids))))


def person_columns(prefix: str = "", title: str = "", example: str = "") -> tuple[Column, ...]:
    """«СНИЛС» and «ФИО» columns (the name only checks the SNILS against a typo)."""
    suffix = f" {title}" if title else ""
    snils_synonyms: tuple[str, ...] = (
        ("Страховой номер", "Номер СНИЛС", "СНИЛС педагога", "СНИЛС участника") if not title else ()
    )
    return (
        Column(
            f"{prefix}snils",
            f"СНИЛС{suffix}",
            snils_synonyms,
            required=True,
            example=example,
            width=16,
        ),
        Column(
            f"{prefix}full_name",
            f"ФИО{suffix}",
            () if title else ("Ф.И.О.", "Фамилия, имя, отчество", "ФИО педагога", "ФИО участника"),
            example="",
            width=32,
        ),
    )


def check_name(teacher: Teacher, value: Any) -> None:
    """A filled name cell must name the teacher found by SNILS (a typo in SNILS shows here)."""
    text = clean_text(value)
    if not text:
        return
    last, first, _middle = split_full_name(text)
    first_key = normalize_key(first)[:1]
    if normalize_key(last) != normalize_key(teacher.last_name) or (
        first_key and first_key != normalize_key(teacher.first_name)[:1]
    ):
        raise CellError(
            _(
                "ФИО «%(given)s» не совпадает с ФИО педагога с этим СНИЛС в реестре "
                "(%(known)s): проверьте СНИЛС."
            )
            % {"given": text, "known": teacher.full_name}
        )


def unknown_teacher() -> str:
    return _("Педагог с этим СНИЛС не найден в реестре: сначала загрузите его в списке педагогов.")
