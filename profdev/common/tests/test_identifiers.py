import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from profdev.common.identifiers import (
    format_snils,
    inn_error,
    make_snils,
    mask_snils,
    normalize_snils,
    ogrn_error,
    snils_error,
    validate_snils,
)

# Real-form SNILS numbers with correct control digits (checked by hand against the PFR rule).
VALID_SNILS = [
    "112-233-445 95",
    "11223344595",
    "112 233 445 95",
    "087-654-303 00",
    "001-001-998 00",
]
INVALID_SNILS = {
    "123-456-789 00": "контрольная сумма",
    "112-233-445 96": "контрольная сумма",
    "1122334459": "11 цифр",
    "112233445955": "11 цифр",
    "11А-233-445 95": "только из цифр",
    "": "не указан",
}


@pytest.mark.parametrize("value", VALID_SNILS)
def test_valid_snils_pass(value: str) -> None:
    assert snils_error(value) is None
    validate_snils(value)


@pytest.mark.parametrize(("value", "fragment"), INVALID_SNILS.items())
def test_invalid_snils_get_a_russian_message(value: str, fragment: str) -> None:
    error = snils_error(value)
    assert error is not None and fragment in error
    with pytest.raises(ValidationError):
        validate_snils(value)


def test_snils_checksum_rule_for_sums_of_100_and_more() -> None:
    # 9*9+8*9+...: a body whose weighted sum is 100 or 101 has control 00.
    assert snils_error("000-000-010 00") is None  # below the 001-001-998 threshold: not checked
    body = "999999999"  # sum 405 -> 405 % 101 = 1
    assert make_snils(int(body)) == body + "01"


def test_normalize_handles_spreadsheet_forms() -> None:
    assert normalize_snils("112-233-445\u00a095") == "11223344595"
    assert normalize_snils(11223344595.0) == "11223344595"
    assert normalize_snils(8765430300) == "08765430300"  # a leading zero lost by a number cell


def test_format_and_mask() -> None:
    assert format_snils("11223344595") == "112-233-445 95"
    assert mask_snils("11223344595") == "***-***-*** 95"


@given(st.integers(min_value=1_001_999, max_value=999_999_999))
def test_generated_snils_are_valid_and_any_changed_control_is_not(serial: int) -> None:
    snils = make_snils(serial)
    assert snils_error(snils) is None
    wrong = snils[:9] + f"{(int(snils[9:]) + 1) % 100:02d}"
    assert snils_error(wrong) is not None


@pytest.mark.parametrize("inn", ["7707083893", "7736050003"])
def test_valid_inn(inn: str) -> None:
    assert inn_error(inn) is None


@pytest.mark.parametrize("inn", ["7707083894", "770708389", "77070838AB"])
def test_invalid_inn(inn: str) -> None:
    assert inn_error(inn) is not None


def test_ogrn() -> None:
    assert ogrn_error("1027700132195") is None
    assert ogrn_error("1027700132196") is not None
    assert ogrn_error("10277001321") is not None
