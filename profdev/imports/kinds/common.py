"""Helpers the kinds share: set-based look-ups of people and scope, and person columns."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from profdev.imports.columns import Column
from profdev.imports.values import CellError, clean_text, normalize_key, split_full_name
from profdev.orgs.scoping import Action, Scope
from profdev.people.models import Teacher

CHUNK = 900  # below SQLite's limit of host parameters per query


def chunks(values: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def teachers_by_snils(snils: Iterable[str]) -> dict[str, Teacher]:
    """Teachers of the given SNILS, one query per chunk."""
    found: dict[str, Teacher] = {}
    for part in chunks(sorted(set(snils))):
        for teacher in Teacher.objects.filter(snils__in=part):
            found[teacher.snils] = teacher
    return found


def ids_in_scope(model: Any, scope: Scope, ids: Iterable[int], action: Action) -> set[int]:
    """Which of `ids` the scope reaches for `action`, one query per chunk."""
    result: set[int] = set()
    for part in chunks(sorted(set(ids))):
        result.update(
            model.objects.for_scope(scope, action).filter(pk__in=part).values_list("pk", flat=True)
        )
    return result


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
