"""momentum dr-drill: restore the latest backup into a scratch database, check it, record the RTO."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from momentum.recovery import restore as recovery
from momentum.recovery.models import OperationStatus


class Command(BaseCommand):
    help = (
        "Disaster-recovery drill: scratch restore of the latest backup, checks, time to restore (shown on /studio/ops)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("location", nargs="?", help="a backup's name, folder or s3:// address, or a target")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = recovery.run_drill(location=options["location"])
        except Exception as error:
            raise CommandError(f"The drill failed: {error}") from error
        self.stdout.write(json.dumps(run.manifest, indent=2))
        if run.status != OperationStatus.SUCCEEDED:
            raise CommandError(f"The drill found problems: {run.error}")
        self.stdout.write(self.style.SUCCESS(f"Restored and verified in {run.duration_seconds:.1f} s (RTO)."))
