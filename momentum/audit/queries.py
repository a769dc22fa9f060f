"""Reading the audit trail: one filter for the API (GET /admin/audit-logs) and the studio page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from momentum.audit.models import AuditLog
from momentum.lib.object_keys import parse_id


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""  # exact, or a prefix when it ends with "." or "*" ("auth." = every sign-in event)
    actor: str = ""  # an account id or email address
    subject: str = ""  # the same, for the person an event is about
    since: datetime | None = None
    until: datetime | None = None


def _person(field: str, value: str) -> Q:
    value = value.strip()
    if (account_id := parse_id(value)) is not None:
        return Q(**{f"{field}_id": account_id})
    return Q(**{f"{field}__email__iexact": value})


def audit_events(criteria: AuditFilter) -> QuerySet[AuditLog]:
    events = AuditLog.objects.select_related("actor", "subject").order_by("-created_at", "-id")
    action = criteria.action.strip()
    if action.endswith(("*", ".")):
        events = events.filter(action__startswith=action.rstrip("*"))
    elif action:
        events = events.filter(action=action)
    if criteria.actor:
        events = events.filter(_person("actor", criteria.actor))
    if criteria.subject:
        events = events.filter(_person("subject", criteria.subject))
    if criteria.since is not None:
        events = events.filter(created_at__gte=criteria.since)
    if criteria.until is not None:
        events = events.filter(created_at__lt=criteria.until)
    return events


def known_actions() -> list[str]:
    """The actions recorded so far, for the page's filter."""
    return sorted(AuditLog.objects.values_list("action", flat=True).distinct())
