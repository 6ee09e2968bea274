"""The analytical report: DOCX and XLSX open and hold figures that match the data."""

import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from docx import Document

from profdev.indicators import compute
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


def test_docx_and_xlsx(campaign: Any, tmp_path: Path) -> None:
    docx_path = tmp_path / "report.docx"
    call_command("analytical_report", year=2025, out=str(docx_path))
    doc = Document(str(docx_path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Аналитический отчёт об исполнении дорожной карты" in text
    assert "приняты отчёты 1" in text
    indicators = doc.tables[0]
    assert [r.cells[0].text for r in indicators.rows[1:]] == ["1", "2", "3", "4", "5", "6", "7"]
    expected = compute.report_rows(year=2025, region=campaign.program.region)
    assert [[c.text for c in r.cells] for r in indicators.rows[1:]] == expected
    assert indicators.rows[1].cells[2].text == "0,0 %"  # three teachers, no route in 2025
    execution = doc.tables[1]
    row = next(r for r in execution.rows if r.cells[0].text == "3.1")
    assert [c.text for c in row.cells[2:4]] == ["3", "1"]  # three schools, one done
    assert doc.inline_shapes  # the chart
    xlsx_path = tmp_path / "report.xlsx"
    call_command("analytical_report", year=2025, campaign=campaign.pk, out=str(xlsx_path))
    book = openpyxl.load_workbook(xlsx_path)
    sheet = book["Полнота отчётности"]
    total = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Итого")
    assert total[1] == 7 and total[5] == 1


def test_bad_command_input(campaign: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="не найдена"):
        call_command("analytical_report", year=2019, out=str(tmp_path / "r.docx"))
    with pytest.raises(CommandError, match=r"\.docx или \.xlsx"):
        call_command("analytical_report", year=2025, out=str(tmp_path / "r.txt"))
