"""momentum baselines: P50/P95/P99 per route from the live metrics into docs/operations/performance-baselines.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from momentum.observability import baselines

DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "docs" / "operations" / "performance-baselines.md"


class Command(BaseCommand):
    help = "Write P50/P95/P99 per route (and per SQL operation and workflow step) from the live metrics."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", help="a running server's /metrics (default: this machine's metrics folder)")
        parser.add_argument("--token", default="", help="bearer token for --url (MOMENTUM_METRICS_TOKEN)")
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default {DEFAULT_OUTPUT}")
        parser.add_argument("--min-requests", type=int, default=20, help="leave out routes seen fewer times")
        parser.add_argument("--notes", default="", help="a paragraph on how the traffic was produced")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["url"]:
            families, source = baselines.families_from_url(options["url"], options["token"]), options["url"]
        else:
            families, source = baselines.local_families(), f"metrics folder {settings.METRICS_DIR}"
        page = baselines.render(families, source=source, environment=settings.MOMENTUM_ENV, when=timezone.now(),
                                minimum=options["min_requests"], notes=options["notes"])  # fmt: skip
        output: Path = options["output"]
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(page, encoding="utf-8")
        self.stdout.write(f"Wrote {output}")
