"""The contract of an import kind and the registry of kinds."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any

from django.utils.translation import gettext as _

from profdev.imports.columns import Column
from profdev.imports.values import clean_text
from profdev.orgs.models import Organization
from profdev.orgs.scoping import Scope

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
REJECTED = "rejected"


class SourceRow:
    """One data row: its number as the user sees it, the sheet row and its raw cells.

    `cells` (by column key) and `number` are worked out on first use: a kind that reads whole
    columns at once (`column`) needs neither a dictionary nor a number per accepted row.
    """

    __slots__ = ("_cells", "_number", "_number_pos", "_positions", "raw", "sheet_row")

    def __init__(
        self,
        sheet_row: int,
        raw: list[Any],
        positions: dict[str, int],
        number_pos: int | None = None,
    ) -> None:
        self.sheet_row = sheet_row
        self.raw = raw
        self._positions = positions
        self._number_pos = number_pos
        self._number: str | None = None
        self._cells: dict[str, Any] | None = None

    @property
    def number(self) -> str:
        """The row's own number («№ п/п»), else its row number in the sheet."""
        if self._number is None:
            given = clean_text(self.raw[self._number_pos]) if self._number_pos is not None else ""
            self._number = given or str(self.sheet_row)
        return self._number

    @property
    def cells(self) -> dict[str, Any]:
        if self._cells is None:
            raw = self.raw
            self._cells = {key: raw[pos] for key, pos in self._positions.items()}
        return self._cells

    def __repr__(self) -> str:
        return f"SourceRow({self.number!r}, sheet_row={self.sheet_row})"


def column(rows: Sequence[SourceRow], key: str) -> list[Any] | None:
    """One column's cells of all rows, in order; None when the file has no such column."""
    if not rows:
        return []
    pos = rows[0]._positions.get(key)
    if pos is None:
        return None
    return list(map(itemgetter(pos), map(attrgetter("raw"), rows)))


@dataclass(slots=True)
class Outcome:
    row: SourceRow
    status: str
    reason: str = ""


@dataclass
class ImportContext:
    """Who imports, within which scope, and the default organization for rows without one."""

    user: Any
    scope: Scope
    organization: Organization | None = None
    progress: Callable[[int, int], None] = lambda done, total: None
    filename: str = ""
    # Audit rows are always written; False exists only for bench/import_bench.py to measure them.
    audit: bool = True


@dataclass
class Plan:
    """What the import would do; `apply` writes the valid rows (called inside a transaction)."""

    outcomes: list[Outcome] = field(default_factory=list)
    apply: Callable[[], None] = lambda: None


@dataclass
class ExportData:
    """Records in a kind's template layout, and the teachers whose full SNILS they carry."""

    rows: list[list[Any]] = field(default_factory=list)
    teacher_ids: set[int] = field(default_factory=set)


class ImportKind:
    """Base class: subclasses set key, title, columns and implement `plan`."""

    key: str = ""
    title: Any = ""
    columns: Sequence[Column] = ()
    # Groups of column keys where one present column satisfies all of them being required.
    alternatives: Sequence[Sequence[str]] = ()

    def template_columns(self) -> Sequence[Column]:
        """The columns as the template shows them (drop-down lists may come from the database)."""
        return self.columns

    def check_access(self, ctx: ImportContext) -> None:
        """Raise PermissionDenied when the user may not import this kind at all."""

    def plan(self, rows: list[SourceRow], ctx: ImportContext) -> Plan:
        raise NotImplementedError

    def export_rows(self, ctx: ImportContext) -> ExportData | None:
        """Records the user may change, in the template's layout, ready to edit and re-import
        (None: the kind has no export). Full SNILS: the caller logs the access."""
        return None


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> None:
    _KINDS[kind.key] = kind


def get_kind(key: str) -> ImportKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise KeyError(_("Неизвестный вид импорта: %(key)s.") % {"key": key}) from None


def all_kinds() -> list[ImportKind]:
    return list(_KINDS.values())


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, str(kind.title)) for kind in _KINDS.values()]
