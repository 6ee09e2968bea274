"""Translation catalogues: extraction (needs GNU gettext) and compilation (pure Python, polib).

Russian is the source language, so msgids are Russian. `locale/en` translates every msgid;
`locale/ru` holds only the plural entries, because Russian needs three forms
(1 запись, 2 записи, 5 записей) and a source string can only give two.
"""

import os
import tempfile
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
from django.conf import settings
from django.core.management import call_command
from django.core.management.commands import makemessages

# Three forms, as GNU gettext has them for Russian: one (1, 21), few (2-4, 22-24), many.
RU_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
EN_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
PLURAL_FORMS = {"ru": RU_PLURAL_FORMS, "en": EN_PLURAL_FORMS}

# What makemessages must not read: data (demo), tests, migrations, the virtualenv.
IGNORE_PATTERNS = [
    ".venv/*",
    "var/*",
    "bench/*",
    "docs/*",
    "static/vendor/*",
    "*/tests/*",
    "*/migrations/*",
    "*/demo.py",
    "*/demo_data.py",
    "*/management/commands/seed_demo.py",
]


class _MakeMessages(makemessages.Command):
    # Some modules import gettext_lazy as `_lazy`; xgettext only knows the names it is told.
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
    # A new string arrives empty rather than with a guessed ("fuzzy") translation of another.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
    # makemessages also writes into the `locale` directory of the working directory and of any
    # directory it walks past; a test extracting into a copy must leave the real one alone.
    only_settings_locale_paths = False

    def find_files(self, root: str) -> Any:
        if self.only_settings_locale_paths:
            self.locale_paths = [os.path.abspath(path) for path in settings.LOCALE_PATHS]
        return super().find_files(root)


def extract(languages: list[str], *, verbosity: int = 1, into_settings_only: bool = False) -> None:
    """Django's makemessages with the project's options (no locations: fewer merge conflicts).

    `into_settings_only` writes only into `settings.LOCALE_PATHS` (the test extracts into a copy).
    """
    command = _MakeMessages()
    command.only_settings_locale_paths = into_settings_only
    call_command(
        command,
        locale=languages,
        domain="django",
        ignore_patterns=[*IGNORE_PATTERNS, *(["locale"] if into_settings_only else [])],
        no_location=True,
        no_obsolete=True,
        verbosity=verbosity,
    )


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def catalogues(root: Path | None = None) -> list[Path]:
    """Every .po file under the locale directory."""
    return sorted((root or locale_dir()).glob("*/LC_MESSAGES/*.po"))


def compile_catalogue(po_path: Path, *, force: bool = False) -> bool:
    """Write the .mo next to the .po unless it is already newer; True when written.

    The file is written to a temporary name and renamed, so parallel test workers never read a
    half-written catalogue.
    """
    mo_path = po_path.with_suffix(".mo")
    if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False
    catalogue = polib.pofile(str(po_path))
    handle, tmp_name = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
    os.close(handle)
    try:
        catalogue.save_as_mofile(tmp_name)
        os.replace(tmp_name, mo_path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return True


def compile_all(root: Path | None = None, *, force: bool = False) -> list[Path]:
    """Compile every stale catalogue; returns the .po files compiled."""
    return [po for po in catalogues(root) if compile_catalogue(po, force=force)]


def tidy_catalogue(po_path: Path, language: str) -> None:
    """After makemessages: set the header, and keep only plural entries in the Russian one."""
    catalogue = polib.pofile(str(po_path), wrapwidth=100)
    catalogue.metadata.update(
        {
            "Project-Id-Version": "profdev",
            "PO-Revision-Date": "2026-11-23 00:00+0000",
            "Last-Translator": "profdev team",
            "Language-Team": "profdev team",
            "Language": language,
            "Plural-Forms": PLURAL_FORMS.get(language, EN_PLURAL_FORMS),
            "Content-Type": "text/plain; charset=UTF-8",
        }
    )
    # Changing dates only make merges of parallel branches conflict.
    for key in ("POT-Creation-Date", "Report-Msgid-Bugs-To"):
        catalogue.metadata.pop(key, None)
    catalogue.metadata_is_fuzzy = False
    catalogue.header = f"profdev interface catalogue ({language}). Source language: Russian."
    if language == settings.LANGUAGE_CODE:
        for entry in [e for e in catalogue if not e.msgid_plural]:
            catalogue.remove(entry)
    forms = 3 if language == "ru" else 2
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            for index in range(forms):
                entry.msgstr_plural.setdefault(index, "")
    for entry in [e for e in catalogue if e.obsolete]:
        catalogue.remove(entry)
    catalogue.save(str(po_path))
