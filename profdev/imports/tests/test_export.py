"""The shared XLSX export never turns text into a formula."""

import io

import openpyxl
import pytest
from django.urls import reverse

from profdev.common.tests.factories import teacher_at
from profdev.common.xlsx import write_rows

DANGEROUS = [
    "=1+1",
    "+79001234567",
    "-5",
    "@SUM(A1)",
    '=HYPERLINK("http://x")',
    "=cmd|' /C calc'!A0",
]


def test_write_rows_keeps_formula_like_text_as_text(tmp_path):
    path = tmp_path / "x.xlsx"
    write_rows(str(path), ["Значение", "Число"], [[value, 5] for value in DANGEROUS])
    sheet = openpyxl.load_workbook(path).active
    for row, value in enumerate(DANGEROUS, start=2):
        cell = sheet.cell(row, 1)
        assert cell.data_type == "s" and cell.value == value
        assert sheet.cell(row, 2).data_type == "n"


@pytest.mark.django_db
def test_teacher_list_export_keeps_formula_names_as_text(login, operator, world):
    teacher_at(world.school_a, last_name="=1+1", first_name="@SUM(A1)")
    response = login(operator).get(reverse("people:teacher-list") + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    ]
    assert cells and all(cell.data_type == "s" for cell in cells)
