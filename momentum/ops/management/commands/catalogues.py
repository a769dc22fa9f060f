"""``momentum catalogues``: refresh every gettext catalogue from the sources, then compile them.

The root catalogue (locale/) is made from the root templates and the core packages; each app with a
``locale/`` folder gets its own from its folder alone (momentum/platform/catalogues.py says which is
which). New strings arrive untranslated: the catalogue tests (tests/i18n) fail until they are translated.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from momentum.platform import catalogues


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


class Command(BaseCommand):
    help = "Refresh the gettext catalogues (locale/ and momentum/<app>/locale/) and compile them"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-compile", action="store_true", help="Only refresh the .po files")

    def handle(self, *args: Any, **options: Any) -> None:
        languages = catalogues.translated_languages()
        common = {"locale": languages, "no_obsolete": True, "add_location": "file", "verbosity": 0}
        with _working_directory(Path(settings.BASE_DIR)):
            call_command("makemessages", ignore_patterns=catalogues.root_ignore_patterns(), **common)
        for folder in catalogues.app_catalogues():
            with _working_directory(folder.parent):
                call_command("makemessages", ignore_patterns=list(catalogues.IGNORED), **common)
        if not options["no_compile"]:
            for folder in [catalogues.ROOT_CATALOGUE, *catalogues.app_catalogues()]:
                with _working_directory(folder.parent):
                    call_command("compilemessages", locale=languages, verbosity=0)
        self.stdout.write(f"catalogues refreshed: {', '.join(languages)}")
