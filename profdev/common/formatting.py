"""Numbers with words and dates the way Russian needs them (and English when chosen).

Russian has three plural forms (1 запись, 3 записи, 5 записей; 11–14 always the third), which
gettext's fallback for a source language without a catalogue does not know. `plural` picks the
form itself; the forms come as one translatable string "запись,записи,записей" so that the
English catalogue can say "record,records".
"""

import datetime
from typing import Any

from django.utils import formats, translation


def russian_plural_index(number: int) -> int:
    """0 for 1, 21, 101…; 1 for 2–4, 22–24…; 2 for 0, 5–20, 25–30, 111–114…"""
    n = abs(int(number))
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def plural(number: Any, forms: str) -> str:
    """The word form for `number`: forms are "one,few,many" (Russian) or "one,other" (English)."""
    variants = [form.strip() for form in str(forms).split(",")]
    try:
        n = int(number)
    except (TypeError, ValueError):
        return variants[-1]
    language = (translation.get_language() or "ru").split("-")[0]
    if len(variants) >= 3 and language in {"ru", "uk", "be"}:
        return variants[russian_plural_index(n)]
    if len(variants) >= 3:  # a Russian triple shown in another language: "other" is the last
        return variants[0] if n == 1 else variants[2]
    return variants[0] if n == 1 else variants[-1]


def count_with_word(number: Any, forms: str) -> str:
    """ "21 запись", "3 записи", "11 записей"."""
    return f"{formats.number_format(number, force_grouping=True)} {plural(number, forms)}"


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """The locale's long date: "23 ноября 2026 г." in Russian, "Nov. 23, 2026" in English."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return formats.date_format(value, "DATE_FORMAT")


def long_datetime(value: datetime.datetime | None) -> str:
    """ "23 ноября 2026 г. 14:05" in Russian."""
    if value is None:
        return ""
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")
