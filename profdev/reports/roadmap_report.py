"""The analytical report on roadmap execution (order 305-р): DOCX with a chart, and XLSX tables."""

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from profdev.roadmap import selectors
from profdev.roadmap.models import Campaign


def indicator_rows(*, year: int, region: Any) -> list[list[Any]] | None:
    """HOOK for the indicators app: rows [code, title, value, target] for the year, or None.

    Returns None (and the report says the indicators are unavailable) only when the program has
    no region to compute them for.
    """
    try:
        from profdev.indicators import compute
    except ImportError:
        return None
    rows = getattr(compute, "report_rows", None)
    return rows(year=year, region=region) if callable(rows) else None


def _tables(campaign: Campaign) -> dict[str, tuple[list[str], list[list[Any]]]]:
    rows, total = selectors.campaign_completeness(user=None, campaign=campaign)
    completeness = [
        [r.name, r.total, r.missing, r.draft, r.submitted, r.accepted, r.waived, r.late]
        for r in [*rows, total]
    ]
    execution = [
        [
            a["activity__number"],
            a["activity__title"],
            a["total"],
            a["done"],
            a["partly"],
            a["not_done"],
            a["not_applicable"],
            a["empty"],
            round(100 * a["done_share"], 1),
        ]
        for a in selectors.activity_execution(user=None, campaign=campaign)
    ]
    return {
        _("Полнота отчётности"): (
            [
                _("Муниципалитет"),
                _("Всего"),
                _("Не начаты"),
                _("Черновик"),
                _("На проверке"),
                _("Приняты"),
                _("Освобождены"),
                _("Просрочены"),
            ],
            completeness,
        ),
        _("Исполнение мероприятий"): (
            [
                "№",
                _("Мероприятие"),
                _("Участников"),
                _("Выполнено"),
                _("Частично"),
                _("Не выполнено"),
                _("Не применимо"),
                _("Не заполнено"),
                _("Доля выполнивших, %"),
            ],
            execution,
        ),
    }


def _chart(execution: list[list[Any]]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.bar([str(r[0]) for r in execution], [r[8] for r in execution], color="#2c7fb8")
    ax.set_ylabel(_("Выполнили, %"))
    ax.set_ylim(0, 100)
    ax.set_title(_("Исполнение мероприятий дорожной карты"))
    ax.tick_params(axis="x", labelrotation=90, labelsize=7)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=120)
    plt.close(fig)
    return buffer.getvalue()


def build_docx(
    campaign: Campaign, out: Path, progress: Callable[[int], None] | None = None
) -> Path:
    """Title page, summary, indicators (when available), execution, lagging, completeness, chart."""
    from docx import Document
    from docx.shared import Cm

    tables = _tables(campaign)
    doc = Document()
    program = campaign.program
    doc.add_heading(_("Аналитический отчёт об исполнении дорожной карты"), level=0)
    doc.add_paragraph(str(program))
    doc.add_paragraph(campaign.title)
    doc.add_paragraph(_("Сформирован %(date)s") % {"date": f"{timezone.localdate():%d.%m.%Y}"})
    doc.add_page_break()
    head, completeness = tables[_("Полнота отчётности")]
    total = completeness[-1]
    doc.add_heading(_("1. Общие сведения"), level=1)
    doc.add_paragraph(
        ngettext(
            "В мониторинге участвовал %(total)s участник; приняты отчёты %(accepted)s, "
            "на проверке %(submitted)s, не сданы в срок %(late)s.",
            "В мониторинге участвовали %(total)s участников; приняты отчёты %(accepted)s, "
            "на проверке %(submitted)s, не сданы в срок %(late)s.",
            total[1],
        )
        % {"total": total[1], "accepted": total[5], "submitted": total[4], "late": total[7]}
    )
    if progress:
        progress(30)
    doc.add_heading(_("2. Показатели программы"), level=1)
    indicators = indicator_rows(year=campaign.year, region=program.region)
    if indicators is None:
        doc.add_paragraph(_("Показатели недоступны: модуль показателей не подключён."))
    else:
        _table(doc, ["№", _("Показатель"), _("Значение"), _("Целевое")], indicators)
    doc.add_heading(_("3. Исполнение мероприятий"), level=1)
    exec_head, execution = tables[_("Исполнение мероприятий")]
    _table(doc, exec_head, execution)
    doc.add_picture(io.BytesIO(_chart(execution)), width=Cm(16))
    lagging = [r for r in execution if r[8] < 50]
    doc.add_heading(_("4. Отстающие мероприятия и муниципалитеты"), level=1)
    doc.add_paragraph(
        _("Мероприятия с долей выполнивших менее 50 %: ")
        + (", ".join(str(r[0]) for r in lagging) or _("нет"))
        + "."
    )
    late_m = [r[0] for r in completeness[:-1] if r[7]]
    doc.add_paragraph(
        _("Муниципалитеты с просроченными отчётами: ") + (", ".join(late_m) or _("нет")) + "."
    )
    if progress:
        progress(70)
    doc.add_heading(_("5. Полнота и своевременность отчётности"), level=1)
    _table(doc, head, completeness)
    doc.save(str(out))
    if progress:
        progress(100)
    return out


def _table(doc: Any, header: list[str], rows: list[list[Any]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def build_xlsx(campaign: Campaign, out: Path) -> Path:
    """The report's tables, one sheet each."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, (header, rows) in _tables(campaign).items():
        sheet = book.create_sheet(title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    book.save(str(out))
    return out


def build(campaign: Campaign, out: Path) -> Path:
    """Choose the format by the file's extension."""
    suffix = out.suffix.lower()
    if suffix == ".docx":
        return build_docx(campaign, out)
    if suffix == ".xlsx":
        return build_xlsx(campaign, out)
    raise ValueError(
        _("Неподдерживаемый формат «%(suffix)s»: используйте .docx или .xlsx") % {"suffix": suffix}
    )
