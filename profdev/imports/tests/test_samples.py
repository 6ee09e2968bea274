"""The sample roster saved by a real office suite, in every format that arrives."""

from pathlib import Path

import pytest

from profdev.common.tests.factories import OrganizationFactory
from profdev.imports.services import import_run
from profdev.people.models import Employment, Teacher

SAMPLES = Path(__file__).parent / "samples"
FILES = ["roster.xlsx", "roster.xls", "roster.ods", "roster-cp1251.csv"]


@pytest.fixture
def gymnasium(world):
    return OrganizationFactory(municipality=world.asino, name="МАОУ «Гимназия № 1» г. Асино")


@pytest.mark.parametrize("name", FILES)
def test_sample_preview_reports_exactly_the_four_wrong_rows(name, gymnasium, asino_coordinator):
    summary = import_run(user=asino_coordinator, kind="teachers", path=str(SAMPLES / name))
    assert summary["error"] == ""
    assert [r["row"] for r in summary["rejected_rows"]] == ["6", "10", "13", "21"]
    reasons = [r["reason"] for r in summary["rejected_rows"]]
    assert "контрольная сумма" in reasons[0]
    assert "фамилия" in reasons[1]
    assert "строке 4" in reasons[2]
    assert "31.02.2021" in reasons[3]
    assert summary["created"] == 36
    assert Teacher.objects.filter(employments__organization=gymnasium).count() == 0


@pytest.mark.parametrize("name", FILES)
def test_sample_commit_then_again_is_unchanged(name, gymnasium, asino_coordinator):
    first = import_run(
        user=asino_coordinator, kind="teachers", path=str(SAMPLES / name), commit=True
    )
    assert first["committed"], first
    assert Employment.objects.filter(organization=gymnasium).count() == 36
    teacher = Teacher.objects.get(snils="34971278214")
    assert teacher.last_name == "Белов"
    assert teacher.career_start.isoformat() == "1999-07-21"
    assert teacher.employments.get().position == "deputy_director"
    assert teacher.history.count() == 1
    second = import_run(
        user=asino_coordinator, kind="teachers", path=str(SAMPLES / name), commit=True
    )
    assert (second["created"], second["updated"], second["unchanged"], second["rejected"]) == (
        0,
        0,
        36,
        4,
    )
    assert teacher.history.count() == 1
