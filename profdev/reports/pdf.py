"""The analytical report as PDF (fpdf2), with the DejaVu fonts matplotlib ships for Cyrillic."""

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from profdev.reports.roadmap_report import ReportData

FONT = "DejaVu"
# fpdf2 subsets fonts with fontTools, which logs every glyph at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def font_files() -> dict[str, Path]:
    """Regular and bold TTF fonts available offline: matplotlib's bundled DejaVu Sans."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {"": folder / "DejaVuSans.ttf", "B": folder / "DejaVuSans-Bold.ttf"}


def _document() -> Any:
    from fpdf import FPDF

    class ReportPDF(FPDF):
        def footer(self) -> None:
            if self.page_no() == 1:
                return
            self.set_y(-12)
            self.set_font(FONT, size=8)
            self.cell(0, 8, str(self.page_no()), align="C")

    pdf = ReportPDF(orientation="P", unit="mm", format="A4")
    for style, path in font_files().items():
        pdf.add_font(FONT, style, str(path))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(15, 15, 15)
    return pdf


def _heading(pdf: Any, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _paragraph(pdf: Any, text: str) -> None:
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(0, 5.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _table(pdf: Any, header: list[str], rows: list[list[Any]], widths: tuple[float, ...]) -> None:
    pdf.set_font(FONT, size=7.5)
    with pdf.table(
        col_widths=widths,
        line_height=4,
        first_row_as_headings=True,
        headings_style=_headings_style(),
        text_align="LEFT",
    ) as table:
        for values in [header, *rows]:
            row = table.row()
            for value in values:
                row.cell("" if value is None else str(value))
    pdf.ln(2)


def _headings_style() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", size_pt=6, fill_color=(230, 236, 245))


def _image(pdf: Any, png: bytes) -> None:
    pdf.image(io.BytesIO(png), w=pdf.epw)
    pdf.ln(2)


def write_pdf(data: "ReportData", out: Path) -> Path:
    """Title page, summary, indicators vs targets, execution, lagging, completeness, charts."""
    from profdev.reports.roadmap_report import (
        COMPLETENESS_HEAD,
        EXECUTION_HEAD,
        INDICATOR_HEAD,
        SECTIONS,
        TITLE,
    )

    pdf = _document()
    pdf.set_title(TITLE)
    pdf.set_lang("ru")
    pdf.set_creator("profdev")
    pdf.add_page()
    pdf.ln(60)
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 10, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(FONT, size=12)
    for line in data.title_lines:
        pdf.multi_cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    _heading(pdf, SECTIONS[0])
    _paragraph(pdf, data.summary)
    _heading(pdf, SECTIONS[1])
    if data.indicators is None:
        _paragraph(pdf, data.indicators_missing)
    else:
        _table(pdf, INDICATOR_HEAD, data.indicators, (8, 112, 30, 30))
    _heading(pdf, SECTIONS[2])
    _table(pdf, EXECUTION_HEAD, data.execution, (8, 53, 16.5, 16.5, 16.5, 16.5, 16.5, 16.5, 20))
    _image(pdf, data.charts["execution"])
    _heading(pdf, SECTIONS[3])
    for line in data.lagging_text:
        _paragraph(pdf, line)
    _heading(pdf, SECTIONS[4])
    _table(pdf, COMPLETENESS_HEAD, data.completeness, (40, 20, 20, 20, 20, 20, 20, 20))
    _image(pdf, data.charts["completeness"])
    pdf.output(str(out))
    return out
