"""Reading the provider events we act on (Stripe's shapes, which the sandbox also speaks).

Accessors accept both the current API version's shapes and the older ones (a subscription's
period end on its items or on itself; an invoice's subscription under ``parent`` or at the top),
so a webhook endpoint pinned to an older Stripe API version still works.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from momentum.billing.models import SubscriptionStatus

# Stripe's subscription statuses, as ours: only "active" (and a trial) entitles.
_SUBSCRIPTION_STATUS = {
    "active": SubscriptionStatus.ACTIVE,
    "trialing": SubscriptionStatus.ACTIVE,
    "past_due": SubscriptionStatus.PAST_DUE,
    "unpaid": SubscriptionStatus.PAST_DUE,
    "incomplete": SubscriptionStatus.PAST_DUE,
    "paused": SubscriptionStatus.PAST_DUE,
    "canceled": SubscriptionStatus.CANCELLED,
    "incomplete_expired": SubscriptionStatus.CANCELLED,
}


def dig(obj: Any, *path: str) -> Any:
    """``obj[a][b]...``, or None where a step is missing."""
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def text(obj: Any, *path: str) -> str:
    value = dig(obj, *path)
    return value if isinstance(value, str) else ""


def cents(obj: Any, *path: str) -> int | None:
    value = dig(obj, *path)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def moment(obj: Any, *path: str) -> datetime | None:
    value = dig(obj, *path)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return datetime.fromtimestamp(value, tz=UTC)
    return None


def payment_id_of_session(session: dict[str, Any]) -> str:
    return text(session, "metadata", "payment_id") or text(session, "client_reference_id")


def subscription_of_invoice(invoice: dict[str, Any]) -> str:
    return text(invoice, "parent", "subscription_details", "subscription") or text(invoice, "subscription")


def period_end_of_invoice(invoice: dict[str, Any]) -> datetime | None:
    lines = dig(invoice, "lines", "data")
    ends = [moment(line, "period", "end") for line in lines or [] if isinstance(line, dict)]
    found = [end for end in ends if end is not None]
    return max(found) if found else moment(invoice, "period_end")


def period_end_of_subscription(subscription: dict[str, Any]) -> datetime | None:
    items = dig(subscription, "items", "data")
    ends = [moment(item, "current_period_end") for item in items or [] if isinstance(item, dict)]
    found = [end for end in ends if end is not None]
    return max(found) if found else moment(subscription, "current_period_end")


def subscription_status(subscription: dict[str, Any]) -> SubscriptionStatus | None:
    return _SUBSCRIPTION_STATUS.get(text(subscription, "status"))


def payment_intent_of_invoice_payment(invoice_payment: dict[str, Any]) -> str:
    payment = dig(invoice_payment, "payment")
    if text(payment, "type") not in ("", "payment_intent"):
        return text(payment, "charge")
    return text(payment, "payment_intent")
