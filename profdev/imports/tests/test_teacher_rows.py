"""The column-at-a-time checks give what the cell-by-cell parsers give, row by row."""

import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from profdev.common.identifiers import make_snils
from profdev.imports.kinds.teacher_rows import _snils_column, distinct_map, each
from profdev.imports.values import CellError, clean_text, parse_date, parse_snils

SEPARATORS = ["", "-", " ", "  ", "\u00a0", ".", "–"]


def _one_by_one(values: list[Any]) -> tuple[list[str | None], dict[int, str]]:
    out: list[str | None] = []
    errors: dict[int, str] = {}
    for index, value in enumerate(values):
        try:
            out.append(parse_snils(value))
        except CellError as error:
            out.append(None)
            errors[index] = str(error)
    return out, errors


@st.composite
def snils_cells(draw: Any) -> Any:
    """SNILS as people type them: valid or not, old numbers, separators, numbers, junk."""
    serial = draw(st.one_of(st.integers(0, 1_002_100), st.integers(0, 999_999_999)))
    digits = make_snils(serial)
    if draw(st.booleans()):
        digits = digits[:9] + draw(st.sampled_from(["00", "99", digits[9:]]))
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from([int(digits), float(digits), None, "", "***-***-*** 12"]))
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(alphabet="0123456789- x", max_size=14))
    parts = [digits[:3], digits[3:6], digits[6:9], digits[9:]]
    return "".join(part + draw(st.sampled_from(SEPARATORS)) for part in parts).strip()


@settings(max_examples=300, deadline=None)
@given(st.lists(snils_cells(), max_size=40))
def test_snils_column_is_parse_snils_of_every_cell(values):
    errors: dict[int, str] = {}
    assert (_snils_column(values, errors), errors) == _one_by_one(values)


def test_snils_column_rejects_a_wrong_checksum_and_keeps_old_numbers():
    valid = make_snils(123_456_789)
    wrong = valid[:9] + ("00" if valid[9:] != "00" else "01")
    old = "001-001-998 00"  # numbers up to 001-001-998 carry no checksum
    errors: dict[int, str] = {}
    assert _snils_column([valid, wrong, old], errors) == [valid, None, "00100199800"]
    assert list(errors) == [1] and "контрольная сумма" in errors[1]


def test_distinct_map_keeps_equal_numbers_of_different_types_apart():
    values = [1, 1.0, True, "1", 1, None]
    assert distinct_map(values, clean_text) == ["1", "1", "True", "1", "1", ""]


def test_each_reports_the_first_failing_rule_and_blanks_give_none():
    errors = {0: "earlier rule"}
    values = ["31.02.2021", "01.09.2015", "", None, datetime.date(2020, 1, 1), "31.02.2021"]
    out = each(values, len(values), parse_date, errors)
    assert out == [None, datetime.date(2015, 9, 1), None, None, datetime.date(2020, 1, 1), None]
    assert errors[0] == "earlier rule" and "31.02.2021" in errors[5] and len(errors) == 2
