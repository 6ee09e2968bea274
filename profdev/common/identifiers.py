"""Russian identifiers: SNILS (personal insurance number), INN and OGRN, with their checksums."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_NON_DIGITS = re.compile(r"[\s\-\u00a0\u2010-\u2015.]")
# Numbers up to 001-001-998 were issued before the checksum rule and are not checked.
_SNILS_CHECKSUM_FROM = 1001998


# A SNILS inside any text: eleven digits, optionally split by spaces, dashes or NBSP
# ("11223344595", "112-233-445 95", "112 233 445 95"), not part of a longer number.
SNILS_IN_TEXT = re.compile(r"(?<!\d)\d(?:[\s\-\u00a0\u2010-\u2015]{0,2}\d){10}(?!\d)")


def contains_snils(text: str) -> bool:
    """Whether `text` holds something that looks like a SNILS."""
    return bool(SNILS_IN_TEXT.search(text))


def normalize_snils(value: object) -> str:
    """Strip the usual separators ('-', spaces, NBSP) and return what remains."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A number cell of a spreadsheet: its leading zeros were dropped.
        return str(int(value)).zfill(11)
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0", text):  # a number cell read as text
        return text[:-2].zfill(11)
    return _NON_DIGITS.sub("", text)


def snils_control(weighted_sum: int) -> int:
    """The control number for the weighted sum of a SNILS's first nine digits (9×d1 + … + 1×d9).

    Below 100 it is the sum; 100 and 101 give 0; above, the remainder by 101, where 100 gives 0.
    """
    return weighted_sum % 101 % 100


def snils_checksum(first_nine: str) -> int:
    """The two-digit control number of a SNILS from its first nine digits."""
    return snils_control(
        sum(int(digit) * weight for digit, weight in zip(first_nine, range(9, 0, -1), strict=True))
    )


def snils_error(value: object) -> str | None:
    """A Russian message saying what is wrong with a SNILS, or None when it is valid."""
    digits = normalize_snils(value)
    if not digits:
        return str(_("СНИЛС не указан."))
    if not digits.isdigit():
        return str(_("СНИЛС должен состоять только из цифр (например, 112-233-445 95)."))
    if len(digits) != 11:
        return str(_("СНИЛС должен содержать 11 цифр, указано %(count)s.") % {"count": len(digits)})
    if int(digits[:9]) > _SNILS_CHECKSUM_FROM and snils_checksum(digits[:9]) != int(digits[9:]):
        return str(_("Неверная контрольная сумма СНИЛС: проверьте цифры."))
    return None


def validate_snils(value: object) -> None:
    """Django validator for SNILS in any common form."""
    error = snils_error(value)
    if error:
        raise ValidationError(error, code="invalid_snils")


def format_snils(digits: str) -> str:
    """'11223344595' -> '112-233-445 95'."""
    if len(digits) != 11:
        return digits
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"


def mask_snils(digits: str) -> str:
    """Only the control digits stay visible: '***-***-*** 95'."""
    return f"***-***-*** {digits[-2:]}" if len(digits) == 11 else "***"


def make_snils(first_nine: int) -> str:
    """A valid SNILS from a nine-digit serial (used by demo data and tests)."""
    body = f"{first_nine:09d}"
    return f"{body}{snils_checksum(body):02d}"


_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)


def inn_error(value: str) -> str | None:
    """Message for an organization's INN (10 digits with a checksum), or None when valid."""
    if not value.isdigit() or len(value) != 10:
        return str(_("ИНН организации должен содержать 10 цифр."))
    control = sum(int(d) * w for d, w in zip(value[:9], _INN10_WEIGHTS, strict=True)) % 11 % 10
    if control != int(value[9]):
        return str(_("Неверная контрольная цифра ИНН."))
    return None


def ogrn_error(value: str) -> str | None:
    """Message for an OGRN (13 digits with a checksum), or None when valid."""
    if not value.isdigit() or len(value) != 13:
        return str(_("ОГРН должен содержать 13 цифр."))
    if int(value[:12]) % 11 % 10 != int(value[12]):
        return str(_("Неверная контрольная цифра ОГРН."))
    return None


def validate_inn(value: str) -> None:
    error = inn_error(value)
    if error:
        raise ValidationError(error, code="invalid_inn")


def validate_ogrn(value: str) -> None:
    error = ogrn_error(value)
    if error:
        raise ValidationError(error, code="invalid_ogrn")


def make_inn(first_nine: int) -> str:
    body = f"{first_nine:09d}"
    control = sum(int(d) * w for d, w in zip(body, _INN10_WEIGHTS, strict=True)) % 11 % 10
    return f"{body}{control}"


def make_ogrn(first_twelve: int) -> str:
    body = f"{first_twelve:012d}"
    return f"{body}{int(body) % 11 % 10}"
