"""Reading provider events: the current Stripe API version's shapes and the older ones."""

from __future__ import annotations

from datetime import UTC, datetime

from momentum.billing import events
from momentum.billing.models import SubscriptionStatus

END = 1_798_761_600  # 2027-01-01 00:00 UTC


def test_a_subscriptions_period_end_is_read_from_its_items_or_from_itself() -> None:
    current = {"items": {"data": [{"current_period_end": END}]}}
    older = {"current_period_end": END}

    assert events.period_end_of_subscription(current) == datetime(2027, 1, 1, tzinfo=UTC)
    assert events.period_end_of_subscription(older) == datetime(2027, 1, 1, tzinfo=UTC)


def test_an_invoices_subscription_is_read_from_its_parent_or_from_itself() -> None:
    current = {"parent": {"subscription_details": {"subscription": "sub_1"}}}
    older = {"subscription": "sub_1"}

    assert events.subscription_of_invoice(current) == events.subscription_of_invoice(older) == "sub_1"


def test_only_an_active_or_trialing_subscription_counts_as_active() -> None:
    names = ("active", "trialing", "past_due", "unpaid", "canceled", "made_up")
    statuses = {name: events.subscription_status({"status": name}) for name in names}

    assert statuses == {
        "active": SubscriptionStatus.ACTIVE,
        "trialing": SubscriptionStatus.ACTIVE,
        "past_due": SubscriptionStatus.PAST_DUE,
        "unpaid": SubscriptionStatus.PAST_DUE,
        "canceled": SubscriptionStatus.CANCELLED,
        "made_up": None,
    }


def test_malformed_amounts_and_times_read_as_missing() -> None:
    assert events.cents({"amount": -5}, "amount") is None
    assert events.cents({"amount": True}, "amount") is None
    assert events.moment({"at": "yesterday"}, "at") is None
    assert events.text({"a": {"b": 3}}, "a", "b") == ""
