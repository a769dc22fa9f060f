"""momentum restore: replace the database and media with a backup (stop web and workers first)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from momentum.recovery import restore as recovery


class Command(BaseCommand):
    help = "Restore a backup (default: the latest) over the configured database and media. Destructive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("location", nargs="?", help="a backup's name, folder or s3:// address, or a target")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--no-media", action="store_true", help="restore the database only")
        parser.add_argument("--allow-personal-data", action="store_true",
                            help="allow a production backup that was not anonymised outside prod")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            answer = input(f"Replace the {settings.MOMENTUM_ENV} database and media with the backup? Type 'restore': ")
            if answer.strip() != "restore":
                raise CommandError("Nothing was changed.")
        try:
            run = recovery.restore_backup(
                options["location"], include_media=not options["no_media"],
                allow_personal_data=options["allow_personal_data"],
            )  # fmt: skip
        except Exception as error:
            raise CommandError(f"The restore failed: {error}") from error
        self.stdout.write(json.dumps({"location": run.location, "seconds": run.duration_seconds, **run.manifest},
                                     indent=2))  # fmt: skip
