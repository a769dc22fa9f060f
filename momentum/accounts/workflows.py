"""Durable workflows of the accounts app (see momentum/platform/durable.py for QUEUES and SCHEDULES).

A notice's email, queued from a request by ``notification_mail.send_email``, leaves from here.

Nightly, expired API refresh tokens and expired browser sessions leave the database: neither
can be used any more, and both hold an IP address or a user agent (docs/data-retention.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.sessions.models import Session
from django.utils import timezone

from momentum.accounts.models import RefreshToken
from momentum.platform import durable

# A spent or revoked token is kept this long so a replay is still recognised as reuse.
SPENT_TOKEN_GRACE = timedelta(days=7)

QUEUES: dict[str, dict[str, Any]] = {
    "accounts-maintenance": {"worker_concurrency": 1},
    "notices": {"worker_concurrency": 4},
}


@durable.step(retries_allowed=True, max_attempts=3)
def email_notice(user_id: int, kind: str, title: str, body: str, url: str) -> bool:
    from momentum.accounts import notification_mail

    return notification_mail.send_now(user_id, kind, title, body, url)


@durable.workflow("accounts.send_notice_email")
def send_notice_email(user_id: int, kind: str, title: str, body: str, url: str) -> bool:
    return email_notice(user_id, kind, title, body, url)


@durable.step()
def purge_refresh_tokens() -> int:
    now = timezone.now()
    expired = RefreshToken.objects.filter(expires_at__lt=now)
    deleted, _ = expired.delete()
    stale, _ = RefreshToken.objects.filter(revoked_at__lt=now - SPENT_TOKEN_GRACE).delete()
    return deleted + stale


@durable.step()
def purge_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@durable.workflow("accounts.nightly_cleanup")
def nightly_cleanup(scheduled_at: datetime, context: Any) -> dict[str, int]:
    return {"refresh_tokens": purge_refresh_tokens(), "sessions": purge_sessions()}


SCHEDULES = [
    {"schedule_name": "accounts.nightly_cleanup", "workflow_fn": nightly_cleanup, "schedule": "0 41 2 * * *"},
]
