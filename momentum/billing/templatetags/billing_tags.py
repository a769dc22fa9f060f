"""Template filters of the billing pages: amounts and status tags."""

from __future__ import annotations

from typing import Any

from django import template

from momentum.billing.products import plan_offer
from momentum.billing.queries import has_premium_access
from momentum.catalog.models import Course

register = template.Library()

_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£"}
_STATUS_TAGS = {
    "SUCCEEDED": "ok",
    "ACTIVE": "ok",
    "PENDING": "neutral",
    "CANCELLED": "neutral",
    "EXPIRED": "neutral",
    "REFUNDED": "warn",
    "PAST_DUE": "danger",
    "FAILED": "danger",
}


@register.filter
def money(cents: int | None, currency: str = "usd") -> str:
    """{{ cents|money:currency }} → "$39.00" (usd) or "39.00 CHF"."""
    amount = f"{(cents or 0) / 100:,.2f}"
    symbol = _SYMBOLS.get((currency or "").lower())
    return f"{symbol}{amount}" if symbol else f"{amount} {(currency or '').upper()}"


@register.filter
def status_tag(status: str) -> str:
    """The design system's tag variant for a payment or plan status."""
    return _STATUS_TAGS.get(status, "neutral")


@register.inclusion_tag("billing/partials/premium_offer.html", takes_context=True)
def premium_offer(context: dict[str, Any], course: Course) -> dict[str, Any]:
    """{% premium_offer course %}: a premium course's price and buy button, or the learner's access."""
    user = context["request"].user
    return {
        "course": course,
        "user": user,
        "has_access": has_premium_access(user, course),
        "plan": plan_offer(),
    }
