"""`python manage.py update_catalogues`: re-extract the strings into locale/en and locale/ru.

Needs GNU gettext (xgettext, msgmerge) like Django's makemessages; only developers run it.
New strings arrive untranslated (empty msgstr) and the i18n tests fail until they are translated.
"""

from typing import Any

from django.core.management.base import BaseCommand

from profdev.common.i18n import extract, locale_dir, tidy_catalogue

LANGUAGES = ["en", "ru"]


class Command(BaseCommand):
    help = "Re-extract translatable strings into locale/en and locale/ru (plurals only)."

    def handle(self, *args: Any, **options: Any) -> None:
        extract(LANGUAGES, verbosity=options["verbosity"])
        for language in LANGUAGES:
            tidy_catalogue(locale_dir() / language / "LC_MESSAGES" / "django.po", language)
