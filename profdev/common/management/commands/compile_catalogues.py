"""`python manage.py compile_catalogues [--force]`: .po -> .mo without GNU gettext (uses polib)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from profdev.common.i18n import catalogues, compile_all


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo in pure Python (no msgfmt needed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Recompile up-to-date files too.")

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = compile_all(force=options["force"])
        if options["verbosity"] > 0:
            for po in compiled:
                self.stdout.write(f"compiled {po}")
            self.stdout.write(f"{len(compiled)} of {len(catalogues())} catalogues compiled.")
