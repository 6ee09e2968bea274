"""Finding the header row and matching its titles to a kind's columns."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from profdev.imports.reader import Cell, ImportFileError
from profdev.imports.values import clean_text, normalize_key

HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Column:
    """One column of an import kind: its key, Russian title, synonyms and template hints."""

    key: str
    title: str
    synonyms: Sequence[str] = ()
    required: bool = False
    example: Any = ""
    choices: Sequence[str] = ()
    width: int = 20

    def aliases(self) -> set[str]:
        return {normalize_key(self.title), *(normalize_key(s) for s in self.synonyms)}


@dataclass
class Header:
    """Where the header is (0-based sheet row) and which sheet column holds each key."""

    row_index: int
    positions: dict[str, int]
    titles: list[str] = field(default_factory=list)


def match_row(row: Sequence[Cell], columns: Sequence[Column]) -> dict[str, int]:
    lookup: dict[str, str] = {}
    for column in columns:
        for key in column.aliases():
            lookup.setdefault(key, column.key)
    positions: dict[str, int] = {}
    for index, cell in enumerate(row):
        found = lookup.get(normalize_key(cell))
        if found and found not in positions:
            positions[found] = index
    return positions


def find_header(
    rows: Sequence[Sequence[Cell]],
    columns: Sequence[Column],
    *,
    alternatives: Sequence[Sequence[str]] = (),
) -> Header:
    """The first row among the top ones that names the most known columns.

    `alternatives` lists groups where any one column satisfies the requirement
    (e.g. «ФИО» instead of «Фамилия» + «Имя»).
    """
    if not any(any(cell not in (None, "") for cell in row) for row in rows):
        raise ImportFileError(_("Лист пуст: в файле нет ни заголовка, ни данных."))
    best: Header | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        positions = match_row(row, columns)
        if len(positions) >= 2 and (best is None or len(positions) > len(best.positions)):
            best = Header(index, positions, [clean_text(c) for c in row])
    if best is None:
        expected = ", ".join(f"«{c.title}»" for c in columns if c.required)
        raise ImportFileError(
            _(
                "Не найдена строка заголовка. В одной из первых %(n)s строк должны быть "
                "названия столбцов: %(expected)s. Скачайте шаблон импорта."
            )
            % {"n": HEADER_SEARCH_ROWS, "expected": expected}
        )
    missing = [
        c.title
        for c in columns
        if c.required
        and c.key not in best.positions
        and not any(
            c.key in group and any(k in best.positions for k in group) for group in alternatives
        )
    ]
    if missing:
        raise ImportFileError(
            _("В заголовке нет обязательных столбцов: %(missing)s.")
            % {"missing": ", ".join(f"«{m}»" for m in missing)}
        )
    return best
