"""Personal data of the billing app (GDPR export and erasure).

Payments are accounting records: they stay, pointing at the anonymised account. What entitled
the person to content goes; local subscriptions end.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from momentum.billing.models import Entitlement, Payment, Subscription, SubscriptionStatus


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(user: Any) -> dict[str, Any]:
    payments = Payment.objects.filter(user=user).select_related("course").order_by("created_at")
    return {
        "payments": [
            {
                "id": str(p.id),
                "product": p.product,
                "course": p.course.slug if p.course else None,
                "plan": p.plan or None,
                "amount_cents": p.amount_cents,
                "currency": p.currency,
                "status": p.status,
                "provider": p.provider,
                "created_at": _iso(p.created_at),
                "paid_at": _iso(p.paid_at),
                "refunded_at": _iso(p.refunded_at),
            }
            for p in payments
        ],
        "subscriptions": [
            {
                "plan": s.plan,
                "provider": s.provider,
                "status": s.status,
                "current_period_end": _iso(s.current_period_end),
                "cancelled_at": _iso(s.cancelled_at),
                "created_at": _iso(s.created_at),
            }
            for s in Subscription.objects.filter(user=user).order_by("created_at")
        ],
        "entitlements": [
            {
                "kind": e.kind,
                "course_id": e.course_id,
                "starts_at": _iso(e.starts_at),
                "ends_at": _iso(e.ends_at),
                "revoked_at": _iso(e.revoked_at),
            }
            for e in Entitlement.objects.filter(user=user).order_by("created_at")
        ],
    }


def erase(user: Any) -> None:
    now = timezone.now()
    Entitlement.objects.filter(user=user).delete()
    Subscription.objects.filter(user=user).exclude(status=SubscriptionStatus.CANCELLED).update(
        status=SubscriptionStatus.CANCELLED, cancelled_at=now, cancel_at_period_end=False
    )
