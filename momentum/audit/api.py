"""The audit log, for admins: GET /admin/audit-logs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import AfterValidator

from momentum.accounts.policy import Access, api_access
from momentum.audit.queries import AuditFilter, audit_events

router = Router(tags=["operations"])

MAX_PAGE_SIZE = 100


def _in_utc(value: datetime | None) -> datetime | None:
    """Any offset Python accepts (up to ±24 h) as UTC: PostgreSQL refuses offsets past ±15:59."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Instant = Annotated[datetime | None, AfterValidator(_in_utc)]


class AuditLogQuery(Schema):
    action: str = Field(default="", max_length=100, description='Exact action, or a prefix ending in "." or "*"')
    actor: str = Field(default="", max_length=254, description="Who acted: account id or email")
    subject: str = Field(default="", max_length=254, description="Whom the event is about: account id or email")
    since: Instant = Field(default=None, description="From this time (inclusive)")
    until: Instant = Field(default=None, description="Up to this time (exclusive)")
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=20, ge=1, le=MAX_PAGE_SIZE)


class AuditLogOut(Schema):
    id: UUID
    actor_id: int | None
    subject_id: int | None
    action: str
    resource_type: str
    resource_id: str
    ip_address: str | None
    user_agent: str
    metadata: dict[str, Any]
    request_id: str
    created_at: datetime


class AuditLogPage(Schema):
    items: list[AuditLogOut]
    count: int
    page: int
    page_size: int


@router.get(
    "/admin/audit-logs", response=AuditLogPage, auth=api_access(Access.ADMIN), tags=["administration"],
    operation_id="momentum_ops_audit_api_list_audit_logs",  # as before the move: the OpenAPI document stays
    summary="The audit trail, newest first: sign-ins, security changes, admin actions, exports, erasures",
)  # fmt: skip
def list_audit_logs(request: HttpRequest, filters: Query[AuditLogQuery]) -> dict[str, Any]:
    events = audit_events(
        AuditFilter(
            action=filters.action,
            actor=filters.actor,
            subject=filters.subject,
            since=filters.since,
            until=filters.until,
        )
    )
    start = (filters.page - 1) * filters.page_size
    return {
        "items": list(events[start : start + filters.page_size]),
        "count": events.count(),
        "page": filters.page,
        "page_size": filters.page_size,
    }
