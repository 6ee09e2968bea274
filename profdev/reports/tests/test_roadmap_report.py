"""The analytical report: DOCX, XLSX and PDF open and hold figures that match the data."""

import datetime
import posixpath
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from docx import Document
from pypdf import PdfReader

from profdev.indicators import compute
from profdev.reports import roadmap_report
from profdev.roadmap import services
from profdev.roadmap.models import Report
from profdev.roadmap.tests.factories import program_with_roadmap

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(
    world: Any, operator: Any, school_coordinator: Any, tomsk_district_coordinator: Any
) -> Any:
    program = program_with_roadmap(world.tomsk)
    campaign = services.campaign_open(
        user=operator, program=program, year=2025, deadline=datetime.date(2026, 1, 20)
    )
    report = Report.objects.get(campaign=campaign, organization=world.school_a)
    for item in report.items.all():
        services.report_item_save(user=school_coordinator, item=item, status="done")
    services.report_submit(user=school_coordinator, report=report)
    services.report_accept(user=tomsk_district_coordinator, report=report)
    return campaign


def check_ooxml_package(path: Path) -> None:
    """What Word and LibreOffice check before offering a repair: a sound zip, well-formed XML,
    a content type for every part and no relationship pointing at a missing part."""
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        names = set(package.namelist())
        assert "[Content_Types].xml" in names and "_rels/.rels" in names
        types = ElementTree.fromstring(package.read("[Content_Types].xml"))
        ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
        defaults = {e.get("Extension", "").lower() for e in types.iter(f"{ns}Default")}
        overrides = {e.get("PartName", "").lstrip("/") for e in types.iter(f"{ns}Override")}
        for name in names:
            if name.endswith("/"):
                continue
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(package.read(name))  # well-formed
            if name != "[Content_Types].xml":
                extension = name.rsplit(".", 1)[-1].lower()
                assert name in overrides or extension in defaults, f"no content type for {name}"
        for rels in (n for n in names if n.endswith(".rels")):
            base = posixpath.dirname(posixpath.dirname(rels))
            for rel in ElementTree.fromstring(package.read(rels)):
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target", "")
                part = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(base, target))
                )
                assert part in names, f"{rels} points at missing {part}"


def test_docx_and_xlsx(campaign: Any, tmp_path: Path) -> None:
    docx_path = tmp_path / "report.docx"
    call_command("analytical_report", year=2025, out=str(docx_path))
    check_ooxml_package(docx_path)
    doc = Document(str(docx_path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Аналитический отчёт об исполнении дорожной карты" in text
    assert "приняты отчёты 1" in text
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == roadmap_report.SECTIONS
    indicators = doc.tables[0]
    assert [r.cells[0].text for r in indicators.rows[1:]] == ["1", "2", "3", "4", "5", "6", "7"]
    expected = compute.report_rows(year=2025, region=campaign.program.region)
    assert [[c.text for c in r.cells] for r in indicators.rows[1:]] == expected
    assert indicators.rows[1].cells[2].text == "0,0 %"  # three teachers, no route in 2025
    execution = doc.tables[1]
    row = next(r for r in execution.rows if r.cells[0].text == "3.1")
    assert [c.text for c in row.cells[2:4]] == ["3", "1"]  # three schools, one done
    completeness = doc.tables[2]
    total = [c.text for c in completeness.rows[-1].cells]
    assert total[:2] == ["Итого", "7"] and total[5] == "1"
    assert len(doc.inline_shapes) == 2  # execution and completeness charts
    xlsx_path = tmp_path / "report.xlsx"
    call_command("analytical_report", year=2025, campaign=campaign.pk, out=str(xlsx_path))
    check_ooxml_package(xlsx_path)
    book = openpyxl.load_workbook(xlsx_path)
    assert book.sheetnames == ["Показатели", "Исполнение мероприятий", "Полнота отчётности"]
    sheet = book["Полнота отчётности"]
    total_row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Итого")
    assert total_row[1] == 7 and total_row[5] == 1
    execution_rows = {r[0]: r for r in book["Исполнение мероприятий"].iter_rows(values_only=True)}
    assert execution_rows["3.1"][2:4] == (3, 1)
    assert len(list(book["Показатели"].iter_rows(min_row=2))) == 7


def pdf_text(path: Path) -> tuple[PdfReader, str]:
    """The PDF's text with line breaks folded into spaces (the PDF wraps long lines)."""
    reader = PdfReader(str(path))
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_pdf(campaign: Any, tmp_path: Path) -> None:
    pdf_path = tmp_path / "report.pdf"
    call_command("analytical_report", year=2025, out=str(pdf_path))
    reader, text = pdf_text(pdf_path)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Аналитический отчёт об исполнении" in first
    assert "Мониторинг дорожной карты за 2025 год" in first  # the title page
    for section in roadmap_report.SECTIONS:
        assert section in text
    assert "приняты отчёты 1" in text
    for _code, title, value, _target in compute.report_rows(
        year=2025, region=campaign.program.region
    ):
        assert title in text and value in text
    assert "0,0 %" in text
    assert "Положение о наставничестве" in text and "Асиновский район" in text
    assert "Итого" in text
    # column headings fit their columns: no word broken across lines
    for heading in ("Участников", "Выполнено", "выполнивших", "Освобождены", "Просрочены"):
        assert heading in text
    images = sum(len(page.images) for page in reader.pages)
    assert images == 2
    assert reader.metadata is not None and reader.metadata.title == roadmap_report.TITLE


def test_same_figures_in_every_format(campaign: Any, tmp_path: Path) -> None:
    data = roadmap_report.collect(campaign)
    paths = roadmap_report.build_all(campaign, tmp_path, "r")
    assert sorted(p.suffix for p in paths.values()) == [".docx", ".pdf", ".xlsx"]
    _reader, text = pdf_text(paths[".pdf"])
    doc = Document(str(paths[".docx"]))
    docx_text = "\n".join(p.text for p in doc.paragraphs)
    for line in [data.summary, *data.lagging_text]:
        assert line in docx_text
        assert " ".join(line.split()) in text
    assert "Асиновский район" in data.lagging_text[1]  # nothing accepted there
    sheet = openpyxl.load_workbook(paths[".xlsx"])["Полнота отчётности"]
    assert [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)] == data.completeness


def test_bad_command_input(campaign: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="не найдена"):
        call_command("analytical_report", year=2019, out=str(tmp_path / "r.docx"))
    with pytest.raises(CommandError, match=r"\.docx, \.xlsx или \.pdf"):
        call_command("analytical_report", year=2025, out=str(tmp_path / "r.txt"))
    with pytest.raises(CommandError, match="не существует"):
        call_command("analytical_report", year=2025, out=str(tmp_path / "no" / "r.pdf"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_documents(campaign: Any, tmp_path: Path) -> None:
    paths = roadmap_report.build_all(campaign, tmp_path, "r")
    for suffix, target in ((".docx", "pdf"), (".xlsx", "csv")):
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path / target),
                str(paths[suffix]),
            ],
            check=True,
            timeout=180,
            capture_output=True,
        )
        assert (tmp_path / target / f"r.{target}").stat().st_size > 0
