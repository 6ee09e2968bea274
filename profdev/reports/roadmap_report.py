"""The analytical report on roadmap execution (order 305-р): DOCX and PDF with charts, XLSX tables.

`collect` reads everything once through the roadmap selectors and the indicators' computation;
the DOCX, PDF and XLSX writers only lay out the same `ReportData`, so the three files agree.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from profdev.common.formatting import count_with_word, russian_plural_index
from profdev.roadmap import selectors
from profdev.roadmap.models import Campaign

FORMATS = (".docx", ".xlsx", ".pdf")
TITLE = "Аналитический отчёт об исполнении дорожной карты"
LAG_SHARE = 0.5  # an activity or municipality below this share lags

COMPLETENESS_HEAD = [
    "Муниципалитет",
    "Всего",
    "Не начаты",
    "Черновик",
    "На проверке",
    "Приняты",
    "Освобождены",
    "Просрочены",
]
EXECUTION_HEAD = [
    "№",
    "Мероприятие",
    "Участников",
    "Выполнено",
    "Частично",
    "Не выполнено",
    "Не применимо",
    "Не заполнено",
    "Доля выполнивших, %",
]
INDICATOR_HEAD = ["№", "Показатель", "Значение", "Целевое"]
SECTIONS = [
    "1. Общие сведения",
    "2. Показатели программы",
    "3. Исполнение мероприятий",
    "4. Отстающие мероприятия и муниципалитеты",
    "5. Полнота и своевременность отчётности",
]

Progress = Callable[[int], None]


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


@dataclass
class ReportData:
    """Everything the report says, computed once and laid out by each writer."""

    campaign: Campaign
    generated_on: str
    completeness: list[list[Any]]  # rows per municipality, then the total row
    execution: list[list[Any]]
    indicators: list[list[Any]] | None
    lagging_activities: list[str]
    lagging_municipalities: list[str]
    late_municipalities: list[str]
    charts: dict[str, bytes]

    @property
    def title_lines(self) -> list[str]:
        return [str(self.campaign.program), self.campaign.title, f"Сформирован {self.generated_on}"]

    @property
    def summary(self) -> str:
        total = self.completeness[-1]
        took_part = "участвовал" if russian_plural_index(total[1]) == 0 else "участвовали"
        return (
            f"В мониторинге {took_part} {count_with_word(total[1], 'участник,участника,участников')}; "
            f"приняты отчёты {total[5]}, "
            f"на проверке {total[4]}, черновиков и возвращённых {total[3]}, не начаты {total[2]}, "
            f"освобождены {total[6]}, не сданы в срок {total[7]}. "
            f"Мероприятий в дорожной карте: {len(self.execution)}, из них отстают "
            f"(выполнили менее {int(LAG_SHARE * 100)} % участников): "
            f"{len(self.lagging_activities)}."
        )

    @property
    def lagging_text(self) -> list[str]:
        return [
            f"Мероприятия с долей выполнивших менее {int(LAG_SHARE * 100)} %: "
            + (", ".join(self.lagging_activities) or "нет")
            + ".",
            "Муниципалитеты, где принято менее половины отчётов: "
            + (", ".join(self.lagging_municipalities) or "нет")
            + ".",
            "Муниципалитеты с просроченными отчётами: "
            + (", ".join(self.late_municipalities) or "нет")
            + ".",
        ]

    @property
    def indicators_missing(self) -> str:
        return "Показатели недоступны: модуль показателей не подключён."


def collect(campaign: Campaign) -> ReportData:
    """Read the campaign's completeness, execution and indicators (system-wide, no user scope)."""
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
    municipal_rows = [r for r in rows if r.municipality_id is not None]
    return ReportData(
        campaign=campaign,
        generated_on=f"{timezone.localdate():%d.%m.%Y}",
        completeness=completeness,
        execution=execution,
        indicators=indicator_rows(year=campaign.year, region=campaign.program.region),
        lagging_activities=[str(r[0]) for r in execution if r[8] < LAG_SHARE * 100],
        lagging_municipalities=[r.name for r in municipal_rows if r.accepted_share < LAG_SHARE],
        late_municipalities=[f"{r.name} ({r.late})" for r in municipal_rows if r.late],
        charts={
            "execution": _execution_chart(execution),
            "completeness": _completeness_chart(municipal_rows),
        },
    )


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig: Any) -> bytes:
    plt = _pyplot()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=120)
    plt.close(fig)
    return buffer.getvalue()


def _execution_chart(execution: list[list[Any]]) -> bytes:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.5))
    positions = list(range(len(execution)))
    ax.bar(positions, [r[8] for r in execution], color="#2c7fb8")
    ax.set_xticks(positions, [str(r[0]) for r in execution])
    ax.axhline(LAG_SHARE * 100, color="#d95f02", linestyle="--", linewidth=1)
    ax.set_ylabel("Выполнили, %")
    ax.set_ylim(0, 100)
    ax.set_title("Исполнение мероприятий дорожной карты")
    ax.tick_params(axis="x", labelrotation=90, labelsize=7)
    return _png(fig)


def _completeness_chart(rows: list[Any]) -> bytes:
    """Stacked bars per municipality: accepted, submitted, draft, not started."""
    plt = _pyplot()
    names = [r.name for r in rows]
    height = max(2.5, 0.28 * len(rows) + 1.2)
    fig, ax = plt.subplots(figsize=(7, height))
    left = [0] * len(rows)
    parts = [
        ("Приняты", [r.accepted for r in rows], "#1b9e77"),
        ("На проверке", [r.submitted for r in rows], "#7570b3"),
        ("Черновик", [r.draft for r in rows], "#e6ab02"),
        ("Не начаты", [r.missing for r in rows], "#d95f02"),
    ]
    positions = list(range(len(rows)))
    for label, values, colour in parts:
        ax.barh(positions, values, left=left, label=label, color=colour)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel("Отчётов")
    ax.set_title("Полнота отчётности по муниципалитетам")
    ax.legend(fontsize=7, loc="lower right")
    return _png(fig)


def build_docx(data: ReportData, out: Path) -> Path:
    """Title page, summary, indicators, execution with a chart, lagging, completeness."""
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.core_properties.title = TITLE
    doc.core_properties.language = "ru-RU"
    doc.add_heading(TITLE, level=0)
    for line in data.title_lines:
        doc.add_paragraph(line)
    doc.add_page_break()
    doc.add_heading(SECTIONS[0], level=1)
    doc.add_paragraph(data.summary)
    doc.add_heading(SECTIONS[1], level=1)
    if data.indicators is None:
        doc.add_paragraph(data.indicators_missing)
    else:
        _docx_table(doc, INDICATOR_HEAD, data.indicators)
    doc.add_heading(SECTIONS[2], level=1)
    _docx_table(doc, EXECUTION_HEAD, data.execution)
    doc.add_picture(io.BytesIO(data.charts["execution"]), width=Cm(16))
    doc.add_heading(SECTIONS[3], level=1)
    for line in data.lagging_text:
        doc.add_paragraph(line)
    doc.add_heading(SECTIONS[4], level=1)
    _docx_table(doc, COMPLETENESS_HEAD, data.completeness)
    doc.add_picture(io.BytesIO(data.charts["completeness"]), width=Cm(16))
    doc.save(str(out))
    return out


def _docx_table(doc: Any, header: list[str], rows: list[list[Any]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def build_xlsx(data: ReportData, out: Path) -> Path:
    """The report's tables, one sheet each."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    sheets = {
        "Показатели": (INDICATOR_HEAD, data.indicators or []),
        "Исполнение мероприятий": (EXECUTION_HEAD, data.execution),
        "Полнота отчётности": (COMPLETENESS_HEAD, data.completeness),
    }
    for title, (header, rows) in sheets.items():
        sheet = book.create_sheet(title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    book.save(str(out))
    return out


def build_pdf(data: ReportData, out: Path) -> Path:
    from profdev.reports.pdf import write_pdf

    return write_pdf(data, out)


WRITERS: dict[str, Callable[[ReportData, Path], Path]] = {
    ".docx": build_docx,
    ".xlsx": build_xlsx,
    ".pdf": build_pdf,
}


def build(campaign: Campaign, out: Path) -> Path:
    """Choose the format by the file's extension."""
    suffix = out.suffix.lower()
    if suffix not in WRITERS:
        raise ValueError(f"Неподдерживаемый формат «{suffix}»: используйте {', '.join(FORMATS)}")
    return WRITERS[suffix](collect(campaign), out)


def build_all(
    campaign: Campaign, directory: Path, stem: str, progress: Progress | None = None
) -> dict[str, Path]:
    """All three files into `directory`, reporting progress in percent."""
    step = progress or (lambda _percent: None)
    step(5)
    data = collect(campaign)
    step(40)
    files: dict[str, Path] = {}
    for done, suffix in zip((65, 75, 95), FORMATS, strict=True):
        files[suffix] = WRITERS[suffix](data, directory / f"{stem}{suffix}")
        step(done)
    return files
