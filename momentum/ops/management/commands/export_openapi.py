"""momentum export-openapi [PATH] [--check]: write the API's OpenAPI document, or check it is current."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from momentum.platform.project_api import openapi_document


class Command(BaseCommand):
    help = "Write the OpenAPI document generated from the code (docs/openapi.json), or --check it is up to date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default="docs/openapi.json")
        parser.add_argument("--check", action="store_true", help="fail when the file differs from the code")

    def handle(self, *args: Any, path: str, check: bool, **options: Any) -> None:
        target = Path(path)
        document = openapi_document()
        if check:
            if not target.exists() or target.read_text() != document:
                raise CommandError(f"{target} is out of date with the code: run `make openapi` and commit it.")
            self.stdout.write(f"{target} matches the code.")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(document)
        self.stdout.write(f"Wrote {target}")
