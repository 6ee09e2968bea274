"""Running an import: read, match the header, check every row, then write all valid rows or none."""

import contextlib
import gc
import os
from collections.abc import Callable, Iterator
from operator import itemgetter
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from profdev.accounts.models import PersonalDataAccess
from profdev.imports.columns import find_header
from profdev.imports.kinds.base import (
    CREATED,
    REJECTED,
    UNCHANGED,
    UPDATED,
    ImportContext,
    Outcome,
    SourceRow,
    get_kind,
)
from profdev.imports.reader import ImportFileError, max_rows, read_sheet, too_many_rows_message
from profdev.imports.values import clean_text
from profdev.orgs.models import Organization
from profdev.orgs.scoping import Action, Level, scope_of

REJECTED_ROWS_IN_SUMMARY = 20_000
# PersonalDataAccess.field of a full-SNILS export for re-import.
SNILS_EXPORT_FIELD = "snils_export"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _may_hold_formulas(values: list[Any]) -> bool:
    """Whether any text cell of a column contains «=» (one scan of the joined text; the
    exact test, a cell starting with it, runs only then)."""
    types = set(map(type, values))
    if str not in types:
        return False
    texts = values if types == {str} else [v for v in values if v.__class__ is str]
    return "=" in "".join(texts)


def build_rows(kind_key: str, sheet: Any) -> tuple[list[SourceRow], list[str], list[Outcome]]:
    """Data rows below the header; rows with formulas are rejected straight away."""
    kind = get_kind(kind_key)
    header = find_header(sheet.rows, kind.columns, alternatives=kind.alternatives)
    # The row number column is not a cell of the record.
    number_pos = header.positions.get("number")
    positions = {key: pos for key, pos in header.positions.items() if key != "number"}
    mapped = list(header.positions.values())
    width = max(mapped) + 1
    first = header.row_index + 1
    data = sheet.rows[first:]
    if data and min(map(len, data)) < width:
        padding = [None] * width
        data = [raw if len(raw) >= width else [*raw, *padding[len(raw) :]] for raw in data]

    # A column at a time: rows whose every matched cell is blank are skipped; a row with a
    # formula is rejected, naming its first formula cell in column order.
    blank: set[int] | None = None
    formulas: dict[int, int] = {}  # offset below the header: the column of the formula
    by_cell: dict[int, list[int]] = {}
    for row_index, pos in sheet.formula_cells:
        if row_index >= first:
            by_cell.setdefault(pos, []).append(row_index - first)
    for pos in mapped:
        values = list(map(itemgetter(pos), data))
        if blank is None or blank:
            blanks = {i for i, v in enumerate(values) if not v and (v is None or v == "")}
            blank = blanks if blank is None else blank & blanks
        if _may_hold_formulas(values):
            for offset, value in enumerate(values):
                if value.__class__ is str and value[:1] == "=":
                    formulas.setdefault(offset, pos)
        for offset in sorted(by_cell.get(pos, ())):
            formulas.setdefault(offset, pos)
    # A blank row is skipped even when a formula left it blank.
    skipped = blank or set()

    rows: list[SourceRow] = []
    early: list[Outcome] = []
    if not skipped and not formulas:
        rows = [
            SourceRow(first + offset + 1, raw, positions, number_pos)
            for offset, raw in enumerate(data)
        ]
    for offset, raw in enumerate(data) if skipped or formulas else ():
        if offset in skipped:
            continue
        row = SourceRow(first + offset + 1, raw, positions, number_pos)
        formula = formulas.get(offset)
        if formula is None:
            rows.append(row)
            continue
        early.append(
            Outcome(
                row,
                REJECTED,
                _(
                    "В ячейке %(cell)s формула. Вставьте в таблицу значения "
                    "(Специальная вставка → Только значения)."
                )
                % {"cell": f"{_column_letter(formula)}{first + offset + 1}"},
            )
        )
    if len(rows) + len(early) > max_rows():
        raise ImportFileError(too_many_rows_message(max_rows()))
    if not rows and not early:
        raise ImportFileError(_("Под заголовком нет ни одной строки с данными."))
    return rows, header.titles, early


@contextlib.contextmanager
def history_user(user: Any) -> Iterator[None]:
    """Writes through other apps' services record `user` in the audit trail (also in a task or
    a command, where no request carries the user)."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    if previous is not None and getattr(previous.user, "is_authenticated", False):
        yield
        return
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


def default_organization(*, user: Any, organization_id: int | None) -> Organization | None:
    """The organization rows without one go to: the chosen one, or the school coordinator's."""
    scope = scope_of(user)
    if organization_id is not None:
        org = Organization.objects.for_scope(scope, Action.VIEW).filter(pk=organization_id).first()
        if org is None:
            raise PermissionDenied(_("Выбранная организация вне вашей зоны ответственности."))
        return org
    if scope.level == Level.ORGANIZATION and scope.node_id is not None:
        return Organization.objects.filter(pk=scope.node_id).first()
    return None


def import_run(
    *,
    user: Any,
    kind: str,
    path: str,
    filename: str = "",
    commit: bool = False,
    organization_id: int | None = None,
    block_on_rejected: bool = False,
    progress: Callable[[int, int], None] | None = None,
    audit: bool = True,
) -> dict[str, Any]:
    """Check a file and, with `commit`, write all its valid rows in one transaction.

    Returns the summary: counts by status, rejected rows with numbers and reasons, and
    `error` when the whole file was refused (then nothing is written).
    """
    summary: dict[str, Any] = {
        "kind": kind,
        "file": os.path.basename(filename or path),
        "dry_run": not commit,
        "committed": False,
        "error": "",
        "total": 0,
        CREATED: 0,
        UPDATED: 0,
        UNCHANGED: 0,
        REJECTED: 0,
        "header": [],
        "rejected_rows": [],
    }
    # A file becomes hundreds of thousands of small objects that all stay alive until the end:
    # the cyclic garbage collector would walk them again and again (a third of the run time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import_run(
            summary,
            user=user,
            kind=kind,
            path=path,
            filename=filename,
            commit=commit,
            organization_id=organization_id,
            block_on_rejected=block_on_rejected,
            progress=progress,
            audit=audit,
        )
    finally:
        if collecting:
            gc.enable()


def _import_run(
    summary: dict[str, Any],
    *,
    user: Any,
    kind: str,
    path: str,
    filename: str,
    commit: bool,
    organization_id: int | None,
    block_on_rejected: bool,
    progress: Callable[[int, int], None] | None,
    audit: bool,
) -> dict[str, Any]:
    try:
        import_kind = get_kind(kind)
        ctx = ImportContext(
            user=user,
            scope=scope_of(user),
            organization=default_organization(user=user, organization_id=organization_id),
            progress=progress or (lambda done, total: None),
            filename=os.path.basename(filename or path),
            audit=audit,
        )
        import_kind.check_access(ctx)
        sheet = read_sheet(path, filename)
        rows, titles, early = build_rows(kind, sheet)
        plan = import_kind.plan(rows, ctx)
    except (ImportFileError, PermissionDenied, KeyError) as error:
        summary["error"] = str(error.args[0]) if error.args else str(error)
        return summary
    outcomes = sorted(early + plan.outcomes, key=lambda o: o.row.sheet_row)
    summary["header"] = titles
    summary["total"] = len(outcomes)
    for outcome in outcomes:
        summary[outcome.status] += 1
    summary["rejected_rows"] = [
        {
            "row": o.row.number,
            "sheet_row": o.row.sheet_row,
            "reason": o.reason,
            "values": [clean_text(v) for v in o.row.raw],
        }
        for o in outcomes
        if o.status == REJECTED
    ][:REJECTED_ROWS_IN_SUMMARY]
    if not commit:
        return summary
    if block_on_rejected and summary[REJECTED]:
        summary["error"] = ngettext(
            "Загрузка не выполнена: в файле %(count)s строка с ошибками, а выбран режим "
            "«Не загружать при ошибках». Исправьте строки и загрузите файл снова.",
            "Загрузка не выполнена: в файле %(count)s строк с ошибками, а выбран режим "
            "«Не загружать при ошибках». Исправьте строки и загрузите файл снова.",
            summary[REJECTED],
        ) % {"count": summary[REJECTED]}
        return summary
    try:
        with transaction.atomic(), history_user(user):
            plan.apply()
    except (ValidationError, PermissionDenied, DatabaseError) as error:
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        summary["error"] = _("Загрузка отменена, ничего не сохранено: %(error)s") % {
            "error": message
        }
        return summary
    summary["committed"] = True
    return summary


def snils_export_record(*, user: Any, teacher_ids: Any) -> int:
    """Log a re-import export: one personal-data access per teacher whose full SNILS it holds."""
    records = [
        PersonalDataAccess(user=user, teacher_id=pk, field=SNILS_EXPORT_FIELD)
        for pk in sorted(teacher_ids)
    ]
    PersonalDataAccess.objects.bulk_create(records, batch_size=2000)
    return len(records)


def format_summary(summary: dict[str, Any]) -> str:
    """The summary as text lines (the management command and the job page show the same)."""
    lines = []
    if summary.get("error"):
        lines.append(_("Ошибка: %(error)s") % {"error": summary["error"]})
    mode = _("проверка (без сохранения)") if summary.get("dry_run") else _("загрузка")
    lines.append(_("Режим: %(mode)s") % {"mode": mode})
    lines.append(
        _(
            "Строк: %(total)s; создано: %(created)s; обновлено: %(updated)s; "
            "без изменений: %(unchanged)s; отклонено: %(rejected)s"
        )
        % summary
    )
    for item in summary.get("rejected_rows", []):
        lines.append(_("  строка %(row)s: %(reason)s") % item)
    return "\n".join(lines)
