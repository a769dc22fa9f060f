"""momentum backup: a consistent online backup of the database and media, with a manifest."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from momentum.recovery import service


class Command(BaseCommand):
    help = "Back up the database (online, consistent) and media to a folder or s3://bucket/prefix."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to", dest="location", help="a folder or s3://bucket/prefix (default MOMENTUM_BACKUP_TARGET)"
        )
        parser.add_argument("--no-media", action="store_true", help="leave the media files out")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = service.create_backup(
                location=options["location"], include_media=False if options["no_media"] else None
            )
        except Exception as error:
            raise CommandError(f"The backup failed and nothing was kept: {error}") from error
        self.stdout.write(json.dumps({"location": run.location, "bytes": run.size_bytes,
                                      "seconds": run.duration_seconds, **run.manifest}, indent=2))  # fmt: skip
