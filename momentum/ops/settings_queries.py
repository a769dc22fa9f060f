"""Reading the site's settings: the site name pages show, the email transport, provider status."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError

from momentum.lib.logs import get_logger
from momentum.ops.models import SiteSettings

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
    """Each generation provider: configured, answering, and its circuit (generation's ``provider_status``)."""
    from momentum.generation.queries import provider_status

    try:
        statuses = provider_status()
    except Exception as error:  # a failing probe is itself the status to show
        log.warning("provider_status_failed", error=str(error))
        return [{"label": "Generation providers", "configured": None, "answering": False, "detail": str(error)}]
    return [
        {
            "label": f"{status.kind} · {status.provider}",
            "configured": True,
            "answering": status.answers,
            "detail": "; ".join(part for part in (status.detail, f"circuit {status.circuit}") if part),
        }
        for status in statuses
    ]
