"""momentum verify-backup: check a backup's files, and restore it into a scratch database to compare."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from momentum.recovery import restore as recovery


class Command(BaseCommand):
    help = "Verify a backup (default: the latest): checksums, then a scratch restore with row counts and keys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("location", nargs="?", help="a backup's name, folder or s3:// address, or a target")
        parser.add_argument("--quick", action="store_true", help="only the files' checksums, no scratch restore")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = recovery.check_backup(options["location"], restore=not options["quick"])
        except Exception as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(report.as_dict(), indent=2))
        if not report.ok:
            raise CommandError(f"{report.location} does not match its manifest.")
        self.stdout.write(self.style.SUCCESS(f"{report.location} is sound."))
