"""Cleaning cell values: text, dates, names, SNILS, yes/no; each parser returns (value, error)."""

import datetime
import functools
import re
from typing import Any

from django.utils.translation import gettext as _

from profdev.common.identifiers import normalize_snils, snils_control, snils_error

_SNILS_CHECKSUM_FROM = 1001998  # as profdev.common.identifiers: older numbers have no checksum

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\ufeff]+")
_NEEDS_CLEANING = re.compile(r"^\s|\s$|\s\s|[^\S ]|\ufeff")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_SNILS_FORM = re.compile(r"(\d{3})[-\s]?(\d{3})[-\s]?(\d{3})[-\s]?(\d{2})")


class CellError(ValueError):
    """A cell that cannot be read; the message names the problem in Russian."""


def clean_text(value: Any) -> str:
    """Trim and collapse spaces including non-breaking ones; numbers lose a trailing '.0'."""
    if value.__class__ is str:
        # Most cells are already clean: one search instead of a substitution and a strip.
        if _NEEDS_CLEANING.search(value) is None:
            return value
        return _SPACES.sub(" ", value).strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return _SPACES.sub(" ", str(value)).strip()


def normalize_key(value: Any) -> str:
    """For comparing names and headers: lower case, ё → е, no spaces or quotes or punctuation."""
    text = clean_text(value).lower().replace("ё", "е")
    return re.sub(r"[\s\"'«»“”„.,:;()\-–—_/№#*]", "", text)


def parse_date(value: Any) -> datetime.date | None:
    """An Excel date cell, an Excel serial number, or text dd.mm.yyyy / yyyy-mm-dd."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise CellError(_("Число «%(value)s» не является датой.") % {"value": value})
    text = clean_text(value)
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:\s+0?0:00(?::00)?)?", text)
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?", text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    elif iso:
        year, month, day = (int(part) for part in iso.groups())
    else:
        raise CellError(
            _("Дата «%(value)s» не распознана: укажите её как ДД.ММ.ГГГГ.") % {"value": text}
        )
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise CellError(_("Даты «%(value)s» не существует.") % {"value": text}) from error


def _checksum(digits: str) -> int:
    """`snils_checksum` unrolled (it runs once per row of every import)."""
    d = digits.encode()
    total = (
        9 * d[0] + 8 * d[1] + 7 * d[2] + 6 * d[3] + 5 * d[4] + 4 * d[5] + 3 * d[6] + 2 * d[7] + d[8]
    ) - 45 * 48
    return snils_control(total)


def parse_snils(value: Any) -> str:
    """Eleven digits of a valid SNILS, from any common spelling."""
    if value.__class__ is str:
        # The usual spellings (112-233-445 95, 11223344595) without building messages.
        match = _SNILS_FORM.fullmatch(value.strip())
        if match is not None:
            digits = "".join(match.groups())
            if int(digits[:9]) <= _SNILS_CHECKSUM_FROM or _checksum(digits) == int(digits[9:]):
                return digits
    text = clean_text(value) if not isinstance(value, int | float) else value
    if isinstance(text, str) and "*" in text:
        raise CellError(
            _(
                "СНИЛС скрыт звёздочками (%(value)s): укажите полный СНИЛС "
                "или выгрузите реестр в формате шаблона импорта."
            )
            % {"value": text}
        )
    error = snils_error(text)
    if error:
        raise CellError(error)
    return normalize_snils(text)


def split_full_name(value: Any) -> tuple[str, str, str]:
    """'Иванова Анна Петровна' → (last, first, middle); the middle name may have several words."""
    parts = clean_text(value).split(" ")
    parts = [part for part in parts if part]
    if not parts:
        return "", "", ""
    if len(parts) == 1:
        return parts[0], "", ""
    return parts[0], parts[1], " ".join(parts[2:])


_YES = {"да", "yes", "true", "1", "+", "истина", "x", "х", "v"}
_NO = {"нет", "no", "false", "0", "-", "ложь", ""}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(_("Ожидается «да» или «нет», указано «%(value)s».") % {"value": text})


@functools.lru_cache(maxsize=64)
def _choice_keys(choices: Any) -> dict[str, str]:
    """Normalized codes and labels of a TextChoices class (built once: labels are lazy)."""
    keys: dict[str, str] = {}
    for code, label in choices.choices:
        keys.setdefault(normalize_key(code), str(code))
        keys.setdefault(normalize_key(label), str(code))
    return keys


def parse_choice(value: Any, choices: Any, *, default: str | None = None) -> str:
    """A TextChoices value by its label or code, ignoring case and ё/е."""
    key = normalize_key(value)
    if not key:
        if default is None:
            raise CellError(_("Значение не указано."))
        return default
    found = _choice_keys(choices).get(key)
    if found is not None:
        return found
    allowed = ", ".join(str(label) for _code, label in choices.choices)
    raise CellError(
        _("Значение «%(value)s» не из списка: %(allowed)s.")
        % {"value": clean_text(value), "allowed": allowed}
    )
