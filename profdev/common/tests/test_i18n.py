"""Translation catalogues and source: every string marked, every msgid translated, plurals right."""

import re
import shutil
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from profdev.common.formatting import count_with_word
from profdev.common.i18n import compile_catalogue, extract
from profdev.common.tests.i18n_helpers import (
    python_offences,
    template_offences,
    untranslated,
    visible_text,
)

ROOT = Path(settings.BASE_DIR)
EN_PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
RU_PO = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)(?:\.\d+)?[sdf]|%%|%[sd]")

# Russian on purpose, not interface text: data and file formats stay Russian in every language.
PYTHON_SKIPPED = (
    "/tests/",
    "/migrations/",
    "/demo.py",
    "/demo_data.py",
    "management/commands/seed_demo.py",  # developer tool that fills the Russian demo region
    "management/commands/generate_country.py",  # benchmark tool that fills generated regions
    "profdev/imports/kinds/",  # the regional spreadsheets' column headings and their aliases
    "profdev/imports/values.py",  # words recognised in uploaded cells («да», «нет», ...)
    "config/formats/",  # date format strings («j E Y г.»)
    "profdev/common/country.py",  # generated benchmark data (names of regions, schools, programs)
    # The analytical report is the official Russian document the regional operator submits to
    # the Department (order 305-р); it is written in Russian whatever the reader's UI language.
    "profdev/reports/roadmap_report.py",
    "profdev/reports/pdf.py",
)
PYTHON_ALLOWED = (
    ("profdev/imports/workbooks.py", "Списки"),  # hidden sheet named in a formula
    ("profdev/mentorship/choices.py", " – "),  # rows the data migration puts in the database
    ("management/commands/", "help = "),
    (
        "profdev/roadmap/tables.py",
        "{% load i18n %}",
    ),  # template code, its text is in {% translate %}  # command-line help, like docstrings
)


def _offence_allowed(offence: str, source_line: str) -> bool:
    return any(
        path in offence and (text in offence or text in source_line)
        for path, text in PYTHON_ALLOWED
    )


def test_templates_have_no_unmarked_russian_text() -> None:
    templates = sorted((ROOT / "templates").rglob("*.html")) + sorted(
        (ROOT / "profdev").rglob("templates/**/*.html")
    )
    assert templates
    offences = [o for path in templates for o in template_offences(path)]
    assert not offences, "Wrap these in {% translate %}:\n" + "\n".join(offences)


def test_python_has_no_unmarked_russian_strings() -> None:
    files = [
        p
        for p in sorted([*(ROOT / "profdev").rglob("*.py"), *(ROOT / "config").rglob("*.py")])
        if not any(skip in str(p) for skip in PYTHON_SKIPPED)
    ]
    offences = []
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        for offence in python_offences(path.relative_to(ROOT)):
            line_no = int(offence.split(":")[1])
            if not _offence_allowed(offence, lines[line_no - 1]):
                offences.append(offence)
    assert not offences, "Wrap these in gettext/gettext_lazy:\n" + "\n".join(offences)


def test_every_english_entry_is_translated_and_keeps_its_placeholders() -> None:
    catalogue = polib.pofile(str(EN_PO))
    assert len(catalogue) > 1000
    problems = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid}")
        pairs = (
            [
                (entry.msgid, entry.msgstr_plural.get(0, "")),
                (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
            ]
            if entry.msgid_plural
            else [(entry.msgid, entry.msgstr)]
        )
        for source, target in pairs:
            if not target.strip():
                problems.append(f"untranslated: {source}")
            elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
                problems.append(f"placeholders differ: {source} -> {target}")
            elif re.search(r"[А-Яа-яЁё]", target) and not re.search(r"[«“]", target):
                problems.append(f"Cyrillic left in translation: {source} -> {target}")
    assert not problems, "\n".join(problems)


def test_russian_catalogue_gives_three_plural_forms() -> None:
    catalogue = polib.pofile(str(RU_PO))
    assert "nplurals=3" in catalogue.metadata["Plural-Forms"]
    entries = [e for e in catalogue if not e.obsolete]
    assert entries and all(e.msgid_plural for e in entries)
    for entry in entries:
        assert [entry.msgstr_plural.get(i, "").strip() != "" for i in range(3)] == [True] * 3, (
            entry.msgid
        )


def test_catalogue_compiles_without_gettext(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    shutil.copy(EN_PO, po)
    assert compile_catalogue(po)
    mo = polib.mofile(str(po.with_suffix(".mo")))
    assert mo.find("Выйти").msgstr == "Sign out"
    assert not compile_catalogue(po)  # up to date: left alone


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogue_has_every_marked_string(tmp_path: Path, settings: Any) -> None:
    """Re-extract into a copy: any new, untranslated entry means `make messages` was not run."""
    for language in ("en", "ru"):
        target = tmp_path / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(ROOT / "locale" / language / "LC_MESSAGES" / "django.po", target)
    settings.LOCALE_PATHS = [tmp_path]
    extract(["en"], verbosity=0, into_settings_only=True)
    fresh = polib.pofile(str(tmp_path / "en" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh if not e.obsolete and not e.translated()]
    assert not missing, (
        "Run `make messages` and translate locale/en/LC_MESSAGES/django.po:\n" + "\n".join(missing)
    )


PLURAL_TEMPLATE = Template(
    "{% load i18n %}{% blocktranslate count counter=n %}Найдена {{ counter }} запись"
    "{% plural %}Найдено записей: {{ counter }}{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "Найдена 1 запись"),
        (2, "Найдены 2 записи"),
        (4, "Найдены 4 записи"),
        (5, "Найдено 5 записей"),
        (11, "Найдено 11 записей"),
        (12, "Найдено 12 записей"),
        (21, "Найдена 21 запись"),
        (22, "Найдены 22 записи"),
        (111, "Найдено 111 записей"),
    ],
)
def test_russian_plurals(n: int, expected: str) -> None:
    with translation.override("ru"):
        assert PLURAL_TEMPLATE.render(Context({"n": n})) == expected


@pytest.mark.parametrize(
    ("n", "expected"), [(1, "1 record found"), (2, "2 records found"), (21, "21 records found")]
)
def test_english_plurals(n: int, expected: str) -> None:
    with translation.override("en"):
        assert PLURAL_TEMPLATE.render(Context({"n": n})) == expected


def test_russian_plurals_in_python() -> None:
    forms = "участник,участника,участников"
    with translation.override("ru"):
        for n, word in [(1, "участник"), (3, "участника"), (5, "участников"), (21, "участник")]:
            assert count_with_word(n, forms) == f"{n} {word}"
        assert count_with_word(11, forms) == "11 участников"


def test_visible_text_helpers_find_unmarked_text_and_ignore_data() -> None:
    html = (
        '<html lang="en"><body><a title="Изменить">Edit</a> <p>Иванова Анна</p>'
        '<option lang="ru">Русский</option><script>var x = "Привет";</script>'
        "<p>Сохранить</p></body></html>"
    )
    left = untranslated(visible_text(html), ["Иванова Анна"])
    assert left == ["Изменить", "Сохранить"]


@pytest.mark.parametrize(
    ("years", "expected"),
    [(1, "Стаж 1 год"), (3, "Стаж 3 года"), (11, "Стаж 11 лет"), (21, "Стаж 21 год")],
)
def test_messages_with_numbers_agree_in_russian(years: int, expected: str) -> None:
    # Used by the mentor matching (mentorship.selectors) to explain a proposal.
    with translation.override("ru"):
        text = translation.ngettext("Стаж %(years)s год", "Стаж %(years)s лет", years)
    assert text % {"years": years} == expected
