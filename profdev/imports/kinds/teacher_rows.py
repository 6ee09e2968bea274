"""Checking a teacher roster a column at a time.

Each rule runs over a whole column, once per distinct cell value (a roster repeats a handful
of positions, organizations, categories and dates), and a row's error is the first rule it
breaks in the order the rules are listed in `check_columns`, the order a row-by-row check
would report them. Only SNILS is distinct in every row; its usual spellings are checked
without building a message.
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from profdev.common.identifiers import snils_control
from profdev.imports.kinds.base import SourceRow, column
from profdev.imports.values import (
    CellError,
    clean_text,
    normalize_key,
    parse_choice,
    parse_date,
    parse_snils,
    split_full_name,
)
from profdev.people.choices import (
    MANAGEMENT_POSITIONS,
    EmploymentKind,
    Position,
    QualificationCategory,
)
from profdev.people.models import Teacher

# Prefixes of the position names people actually write, longest first.
_POSITION_PREFIXES: list[tuple[str, str]] = sorted(
    [
        ("заместительдиректора", Position.DEPUTY_DIRECTOR),
        ("замдиректора", Position.DEPUTY_DIRECTOR),
        ("директор", Position.DIRECTOR),
        ("учительлогопед", Position.SPEECH_THERAPIST),
        ("логопед", Position.SPEECH_THERAPIST),
        ("учитель", Position.TEACHER),
        ("педагогпсихолог", Position.PSYCHOLOGIST),
        ("психолог", Position.PSYCHOLOGIST),
        ("социальныйпедагог", Position.SOCIAL_PEDAGOGUE),
        ("педагогдополнительного", Position.ADDITIONAL_EDUCATION),
        ("педагогорганизатор", Position.ORGANIZER),
        ("советник", Position.ADVISOR),
        ("педагогбиблиотекарь", Position.LIBRARIAN),
        ("воспитатель", Position.EDUCATOR),
    ],
    key=lambda item: -len(item[0]),
)


def parse_position(value: Any) -> str:
    """A position code from its label or a longer wording («заместитель директора по УВР»)."""
    return _position_by_key(normalize_key(value))


@functools.lru_cache(maxsize=4096)
def _position_by_key(key: str) -> str:
    # Cached: a roster repeats a handful of wordings, and translated labels are slow to build.
    if not key:
        return str(Position.TEACHER)
    for code, label in Position.choices:
        if key in (normalize_key(code), normalize_key(label)):
            return str(code)
    for prefix, code in _POSITION_PREFIXES:
        if key.startswith(prefix):
            return str(code)
    return str(Position.OTHER)


MAX_LENGTH: dict[str, int] = {
    name: getattr(Teacher._meta.get_field(name), "max_length", 0) or 0
    for name in ("last_name", "first_name", "middle_name", "email")
}
clean = functools.lru_cache(maxsize=65536, typed=True)(clean_text)


def too_long(name: str) -> str:
    return _("%(field)s: не более %(limit)s символов.") % {
        "field": str(getattr(Teacher._meta.get_field(name), "verbose_name", name)).capitalize(),
        "limit": MAX_LENGTH[name],
    }


def parse_email(value: str) -> str:
    if len(value) > MAX_LENGTH["email"]:
        raise CellError(too_long("email"))
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(
            _("Адрес эл. почты «%(value)s» указан неверно.") % {"value": value}
        ) from None
    return value


@dataclass
class Columns:
    """The checked values of every row, by column; a row in `errors` is rejected."""

    errors: dict[int, str] = field(default_factory=dict)
    last: list[str] = field(default_factory=list)
    first: list[str] = field(default_factory=list)
    middle: list[str] = field(default_factory=list)
    snils: list[str | None] = field(default_factory=list)
    # None where the cell is blank (a blank cell never erases a stored value).
    career: list[datetime.date | None] = field(default_factory=list)
    category: list[str | None] = field(default_factory=list)
    email: list[str | None] = field(default_factory=list)
    organization: list[int | None] = field(default_factory=list)
    position: list[str] = field(default_factory=list)
    is_management: list[bool] = field(default_factory=list)
    kind: list[str | None] = field(default_factory=list)
    start: list[datetime.date | None] = field(default_factory=list)
    has_position: bool = False


# Numbers of different types compare equal (1 == 1.0 == True) yet read differently.
_NUMBERS = {bool, int, float}


def distinct_map(values: list[Any], func: Callable[[Any], Any]) -> list[Any]:
    """`func` of every value, called once per distinct value; a CellError it raises is
    returned in the value's place."""

    def call(value: Any) -> Any:
        try:
            return func(value)
        except CellError as error:
            return error

    if len(set(map(type, values)) & _NUMBERS) > 1:
        memo: dict[Any, Any] = {}
        out = []
        for value in values:
            key = (value.__class__, value)
            if key not in memo:
                memo[key] = call(value)
            out.append(memo[key])
        return out
    results = {value: call(value) for value in set(values)}
    return list(map(results.__getitem__, values))


def each(
    values: list[Any] | None, count: int, func: Callable[[Any], Any], errors: dict[int, str]
) -> list[Any]:
    """`func` over a column, called once per distinct cell; blank cells give None.

    A CellError becomes the row's error unless an earlier rule already rejected the row.
    """
    if values is None:
        return [None] * count

    def checked(value: Any) -> Any:
        return None if value is None or value == "" else func(value)

    out = distinct_map(values, checked)
    if CellError in set(map(type, out)):
        for index, result in enumerate(out):
            if result.__class__ is CellError:
                errors.setdefault(index, str(result))
                out[index] = None
    return out


def check_columns(
    rows: list[SourceRow], today: datetime.date, resolve: Callable[[Any, Any], int]
) -> Columns:
    """Every rule of the roster, a column at a time, in the order a row reports them."""
    count = len(rows)
    checked = Columns(has_position=column(rows, "position") is not None)
    errors = checked.errors

    def texts(key: str) -> list[str]:
        values = column(rows, key)
        return [""] * count if values is None else distinct_map(values, clean_text)

    last, first, middle = texts("last_name"), texts("first_name"), texts("middle_name")
    full_names = column(rows, "full_name")
    for index in range(count) if not (all(last) and all(first)) else ():
        if not last[index] and not first[index] and full_names is not None:
            last[index], first[index], middle[index] = split_full_name(full_names[index])
        if not last[index]:
            errors.setdefault(index, _("Не указана фамилия."))
        elif not first[index]:
            errors.setdefault(index, _("Не указано имя."))
    checked.last, checked.first, checked.middle = last, first, middle

    checked.snils = _snils_column(column(rows, "snils") or [None] * count, errors)

    for name, values in (("last_name", last), ("first_name", first), ("middle_name", middle)):
        limit = MAX_LENGTH[name]
        for index, value in enumerate(values):
            if len(value) > limit:
                errors.setdefault(index, too_long(name))

    def career(value: Any) -> datetime.date | None:
        date = value if value.__class__ is datetime.date else parse_date(value)
        if date and date > today:
            raise CellError(_("Дата начала педагогической деятельности в будущем."))
        return date or None

    checked.career = each(column(rows, "career_start"), count, career, errors)
    each(column(rows, "birth_date"), count, parse_date, errors)
    checked.start = each(column(rows, "start_date"), count, parse_date, errors)

    def category(value: Any) -> str | None:
        return parse_choice(value, QualificationCategory) if clean(value) else None

    checked.category = each(column(rows, "qualification_category"), count, category, errors)

    def email(value: Any) -> str | None:
        text = clean(value)
        return parse_email(text) if text else None

    checked.email = each(column(rows, "email"), count, email, errors)

    names = column(rows, "organization") or [None] * count
    inns = column(rows, "organization_inn") or [None] * count
    organization = distinct_map(list(zip(names, inns, strict=True)), lambda cells: resolve(*cells))
    if CellError in set(map(type, organization)):
        for index, found in enumerate(organization):
            if found.__class__ is CellError:
                errors.setdefault(index, str(found))
                organization[index] = None
    checked.organization = organization

    teacher = str(Position.TEACHER)
    checked.position = [
        teacher if code is None else code
        for code in each(column(rows, "position"), count, parse_position, errors)
    ]
    checked.is_management = [code in MANAGEMENT_POSITIONS for code in checked.position]

    def kind(value: Any) -> str | None:
        return parse_choice(value, EmploymentKind) if clean(value) else None

    checked.kind = each(column(rows, "employment_kind"), count, kind, errors)
    return checked


def _snils_column(values: list[Any], errors: dict[int, str]) -> list[str | None]:
    """Eleven digits per row, `parse_snils` of the cell.

    The usual spellings (112-233-445 95, 11223344595) are checked for the whole column at
    once: their digits are laid end to end, and the nine weighted digits and the two control
    digits of every row are read with strided slices of that one string. A row that does
    not pass (another spelling, a wrong checksum, an old number without one) goes through
    `parse_snils`, which gives its value or its message.
    """
    texts = [v.translate(_SNILS_SEPARATORS) if v.__class__ is str else "" for v in values]
    usual = [
        index
        for index, text in enumerate(texts)
        if len(text) == 11 and text.isdigit() and text.isascii()
    ]
    digits = "".join([texts[index] for index in usual]).encode("ascii")
    # Digits are ASCII codes here: 48 per digit comes off the sums (45 × 48, 11 × 48).
    totals = [
        9 * d1 + 8 * d2 + 7 * d3 + 6 * d4 + 5 * d5 + 4 * d6 + 3 * d7 + 2 * d8 + d9 - 2160
        for d1, d2, d3, d4, d5, d6, d7, d8, d9 in zip(
            *(digits[place::11] for place in range(9)), strict=True
        )
    ]
    controls = [10 * c1 + c2 - 528 for c1, c2 in zip(digits[9::11], digits[10::11], strict=True)]
    out: list[str | None] = [None] * len(values)
    valid = True
    for index, total, control in zip(usual, totals, controls, strict=True):
        if snils_control(total) == control:
            out[index] = texts[index]
        else:
            valid = False
    if not valid or len(usual) < len(values):
        for index, value in enumerate(values):
            if out[index] is None:
                try:
                    out[index] = parse_snils(value)
                except CellError as error:
                    errors.setdefault(index, str(error))
    return out


_SNILS_SEPARATORS = str.maketrans("", "", "- ")
