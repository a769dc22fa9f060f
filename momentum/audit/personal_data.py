"""Personal data of the operations app: the audit events about a person (GDPR export and erasure).

Audit events are security records and stay, but erasure strips what identifies the person:
IP address, browser, and the email addresses some events carry in their metadata.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from momentum.audit.models import AuditLog
from momentum.platform.models import IdempotencyRecord

PERSONAL_METADATA_KEYS = ("email", "from_email", "to_email", "display_name")


def _about(user: Any) -> Q:
    return Q(actor=user) | Q(subject=user) | Q(metadata__email=user.email)


def export(user: Any) -> dict[str, Any]:
    events = AuditLog.objects.filter(_about(user)).order_by("created_at")
    return {
        "audit_events": [
            {
                "id": str(e.id),
                "action": e.action,
                "actor_id": e.actor_id,
                "resource_type": e.resource_type,
                "resource_id": e.resource_id,
                "ip_address": e.ip_address,
                "user_agent": e.user_agent,
                "metadata": e.metadata,
                "created_at": e.created_at.isoformat(),
            }
            for e in events
        ]
    }


def erase(user: Any) -> None:
    # The address and browser are the person's where they acted (or nobody else did); an admin's
    # own address on an event about the person is the admin's and stays.
    theirs = Q(actor=user) | Q(actor__isnull=True, subject=user) | Q(metadata__email=user.email)
    AuditLog.objects.filter(theirs).update(ip_address=None, user_agent="")
    for event in AuditLog.objects.filter(_about(user)).only("id", "metadata"):
        metadata = {k: v for k, v in (event.metadata or {}).items() if k not in PERSONAL_METADATA_KEYS}
        if metadata != event.metadata:
            AuditLog.objects.filter(pk=event.pk).update(metadata=metadata)
    IdempotencyRecord.objects.filter(user=user).delete()
