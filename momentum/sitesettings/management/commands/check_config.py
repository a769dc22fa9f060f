"""momentum check-config: print the effective configuration and whether each dependency answers."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from momentum.observability import health
from momentum.sitesettings import config_checks


class Command(BaseCommand):
    help = (
        "Show the effective configuration (no secrets) and check the database, cache, storage, workflows, "
        "AI providers, payments, mail and the site URL."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = {
            "environment": settings.MOMENTUM_ENV,
            "debug": settings.DEBUG,
            "data_dir": str(settings.DATA_DIR),
            "database": settings.DATABASE_VENDOR,
            "cache": "redis" if settings.REDIS_URL else "local memory",
            "storage": settings.STORAGE_BACKEND,
            "media_root": str(settings.MEDIA_ROOT),
            "email": "smtp" if settings.EMAIL_URL else f"files in {settings.MAIL_DIR}",
            "workflow_system_database": settings.DBOS_SYSTEM_DATABASE_URL.split("@")[-1],
        }
        self.stdout.write(json.dumps(summary, indent=2))
        ready, checks = health.readiness()
        self.stdout.write(json.dumps(checks, indent=2))
        services = config_checks.all_checks()
        self.stdout.write(json.dumps(services, indent=2))
        failed = config_checks.failures(services)
        problems = ([] if ready else ["some dependencies do not answer"]) + (
            [f"some settings do not work: {', '.join(failed)}"] if failed else []
        )
        if problems:
            raise CommandError(f"{'; '.join(problems).capitalize()} (see above).")
