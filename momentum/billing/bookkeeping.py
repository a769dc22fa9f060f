"""What every billing write records besides its rows: an audit event, and the payment counters
that /metrics exports (counted once the change has committed)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from momentum.accounts.models import User
from momentum.audit.actions import do_record_audit
from momentum.billing.audit_actions import AuditAction
from momentum.observability import metrics


def count_payment(status: str) -> None:
    transaction.on_commit(lambda: metrics.PAYMENTS.labels(status).inc())


def count_revenue(currency: str, amount_cents: int) -> None:
    transaction.on_commit(lambda: metrics.REVENUE_CENTS.labels(currency).inc(amount_cents))


def audit(
    action: AuditAction, resource: Any, *, subject: Any, actor: User | None = None, request: Any = None, **metadata: Any
) -> None:
    do_record_audit(action, actor=actor, subject=subject, resource=resource, request=request, metadata=metadata)
