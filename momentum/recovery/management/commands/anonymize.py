"""momentum anonymize: turn a production backup into one safe for staging (people masked)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from momentum.recovery.anonymize import anonymize_backup


class Command(BaseCommand):
    help = "Copy a backup with emails, names, IP addresses and free text about people masked (for staging)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", nargs="?", help="a backup's name, folder or s3:// address, or a target (latest)")
        parser.add_argument("--to", dest="destination", help="where to write the copy (default MOMENTUM_BACKUP_TARGET)")
        parser.add_argument("--environment", default="staging", choices=["dev", "test", "staging"],
                            help="the environment the copy is for (its name says so)")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            location = anonymize_backup(options["source"], destination=options["destination"],
                                        environment=options["environment"])  # fmt: skip
        except Exception as error:
            raise CommandError(f"Nothing was written: {error}") from error
        self.stdout.write(location)
        self.stdout.write(self.style.SUCCESS("Anonymised copy written; restore it with `momentum restore`."))
