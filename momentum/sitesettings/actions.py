"""Writes of the studio's settings page: site settings, and the email check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest

from momentum.accounts.models import User
from momentum.audit.actions import do_record_audit
from momentum.sitesettings.audit_actions import AuditAction
from momentum.sitesettings.models import SiteSettings
from momentum.sitesettings.queries import SITE_NAME_CACHE_KEY, email_transport

SETTINGS_FIELDS = (
    "site_name",
    "generation_daily_quota",
    "generation_daily_budget_usd",
    "generation_monthly_budget_usd",
    "instructor_publishing",
    "instructor_generation_daily_quota",
    "instructor_generation_daily_budget_usd",
)


@transaction.atomic
def do_update_site_settings(*, actor: User | None, request: HttpRequest | None = None, **changes: Any) -> SiteSettings:
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not site settings: {sorted(unknown)}")
    SiteSettings.load()
    row = SiteSettings.objects.select_for_update().get(id=1)
    changed = {}
    for name, value in changes.items():
        if getattr(row, name) != value:
            changed[name] = [str(getattr(row, name)), str(value)]
            setattr(row, name, value)
    if changed:
        row.save(update_fields=[*changed, "updated_at"])
        do_record_audit(AuditAction.UPDATED, actor=actor, resource=row, request=request, metadata={"changed": changed})
        transaction.on_commit(lambda: cache.delete(SITE_NAME_CACHE_KEY))
    return row


def do_send_test_email(*, actor: User, request: HttpRequest | None = None) -> tuple[bool, str]:
    """Send a short message to the admin through the configured transport; (sent, what happened)."""
    transport = email_transport()
    message = EmailMessage(
        subject=f"[{settings.SITE_NAME}] Email check",
        body=(
            "This message was sent from the studio's settings page to check that email works.\n\n"
            f"Transport: {transport}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[actor.email],
    )
    try:
        message.send(fail_silently=False)
    except Exception as error:  # any transport failure is the answer to show
        outcome = (False, f"Sending to {actor.email} failed through {transport}: {error.__class__.__name__}: {error}")
    else:
        outcome = (True, f"Sent to {actor.email} through {transport}.")
    do_record_audit(
        AuditAction.EMAIL_CHECKED,
        actor=actor,
        request=request,
        metadata={"sent": outcome[0], "transport": transport},
    )
    return outcome
