"""Writes of the audit trail: ``do_record_audit``, called inside every audited action's transaction."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from momentum.audit.models import AuditLog
from momentum.lib import request_context
from momentum.platform.client_address import client_ip


def do_record_audit(
    action: str,
    *,
    actor: Any = None,
    subject: Any = None,
    resource: Any = None,
    resource_type: str = "",
    resource_id: str | int | None = None,
    request: HttpRequest | None = None,
    metadata: dict[str, Any] | None = None,
) -> AuditLog:
    """Record who did ``action`` to what. Call it inside the action's transaction."""
    if resource is not None:
        resource_type = resource_type or resource._meta.model_name
        resource_id = resource.pk
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditLog.objects.create(
        action=action,
        actor=actor,
        subject=subject,
        resource_type=resource_type,
        resource_id="" if resource_id is None else str(resource_id),
        ip_address=client_ip(request),
        user_agent=(request.headers.get("User-Agent", "") if request is not None else "")[:1000],
        metadata=metadata or {},
        request_id=request_context.current_request_id() or "",
    )
