"""Reading the site's settings: the site name pages show, the email transport, provider status, AI spend
against the budgets the settings hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Sum
from django.utils import timezone

from momentum.lib.logs import get_logger
from momentum.sitesettings.models import SiteSettings

log = get_logger("momentum.ops.settings")
SITE_NAME_CACHE_KEY = "ops:site-name"
SITE_NAME_TTL_SECONDS = 60


def site_name() -> str:
    """The name an admin gave the site in the studio, else ``MOMENTUM_SITE_NAME``."""
    name = cache.get(SITE_NAME_CACHE_KEY)
    if name is None:
        default = SiteSettings._meta.get_field("site_name").default
        try:
            stored = SiteSettings.objects.filter(id=1).values_list("site_name", flat=True).first()
        except DatabaseError:  # an error page must still render
            return str(settings.SITE_NAME)
        name = stored if stored and stored != default else settings.SITE_NAME
        cache.set(SITE_NAME_CACHE_KEY, name, SITE_NAME_TTL_SECONDS)
    return str(name)


def email_transport() -> str:
    backend = settings.EMAIL_BACKEND
    if backend.endswith("EmlFileBackend"):
        return f"files in {settings.MAIL_DIR}"
    if backend.endswith("smtp.EmailBackend"):
        return f"SMTP {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    return backend.rsplit(".", 2)[-2] + " backend"  # e.g. the test suite's in-memory outbox


def providers() -> list[dict[str, Any]]:
    """Each generation provider: configured and answering, from the generation app's
    ``provider_status()``; one row saying what failed when the probe itself fails."""
    from momentum.generation.queries import provider_status

    try:
        status = provider_status()
    except Exception as error:  # a failing probe is itself the status to show
        log.warning("provider_status_failed", error=str(error))
        return [{"label": "Generation providers", "configured": None, "answering": False, "detail": str(error)}]
    return [
        {
            "label": f"{item.kind} · {item.provider}",
            "configured": item.configured,
            "answering": item.answers,
            "detail": "; ".join(part for part in (item.detail, f"circuit {item.circuit}") if part),
        }
        for item in status.values()
    ]


def site_settings() -> SiteSettings:
    """The settings row, or its defaults when nobody saved it yet (reading never writes)."""
    return SiteSettings.objects.filter(id=1).first() or SiteSettings()


def start_of_day(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def start_of_month(now: datetime | None = None) -> datetime:
    return start_of_day(now).replace(day=1)


@dataclass(frozen=True)
class Spend:
    today_usd: Decimal
    month_usd: Decimal
    daily_budget_usd: Decimal
    monthly_budget_usd: Decimal

    @property
    def daily_ratio(self) -> float:
        return float(self.today_usd / self.daily_budget_usd) if self.daily_budget_usd else 0.0

    @property
    def monthly_ratio(self) -> float:
        return float(self.month_usd / self.monthly_budget_usd) if self.monthly_budget_usd else 0.0

    @property
    def daily_percent(self) -> int:
        return min(100, round(self.daily_ratio * 100))

    @property
    def monthly_percent(self) -> int:
        return min(100, round(self.monthly_ratio * 100))


def ai_spend(now: datetime | None = None) -> Spend:
    """What provider calls cost today and this month (UTC), against the budgets in the site settings."""
    from momentum.generation.models import ProviderCall

    def total(since: datetime) -> Decimal:
        value = ProviderCall.objects.filter(created_at__gte=since).aggregate(total=Sum("cost_usd"))["total"]
        return Decimal(value or 0)

    row = site_settings()
    return Spend(
        today_usd=total(start_of_day(now)),
        month_usd=total(start_of_month(now)),
        daily_budget_usd=row.generation_daily_budget_usd,
        monthly_budget_usd=row.generation_monthly_budget_usd,
    )
