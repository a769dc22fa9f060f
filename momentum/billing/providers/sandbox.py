"""The sandbox: an offline stand-in for Stripe, for development, tests and demos (TEST MODE).

Its checkout page is ours (``billing:sandbox_checkout``) and collects no card. What the learner
or an admin does there becomes the events Stripe would send, in Stripe's shapes, signed with
Stripe's scheme and the sandbox's own secret. Each operation returns them, in order, and the
caller (``billing.provider_requests``) hands them to ``billing.webhooks.receive`` — the code that
handles Stripe's webhooks. So the sandbox exercises the same verification, replay protection,
entitlements and role changes as real payments. Whether an operation makes sense for a record
(a checkout still open, a plan still running) is the caller's to decide.
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from momentum.billing.providers import (
    CHECKOUT_TTL,
    SANDBOX,
    CheckoutRequest,
    CheckoutSession,
    PaymentInfo,
    ProviderUnavailable,
    SignedEvent,
    SubscriptionInfo,
)
from momentum.billing.providers.signing import sign

API_VERSION = "2026-02-25.clover"  # the shapes below follow this Stripe API version


def new_id(prefix: str) -> str:
    return f"{prefix}_sbx_{secrets.token_hex(12)}"


def _ts(moment: Any) -> int:
    return int(moment.timestamp())


class SandboxProvider:
    name = SANDBOX
    signature_header = "Momentum-Sandbox-Signature"

    @property
    def webhook_secret(self) -> str:
        return str(settings.SANDBOX_WEBHOOK_SECRET)

    def ensure_available(self) -> None:
        if settings.IS_PROD:
            raise ProviderUnavailable(
                "Payments are not set up on this site: the TEST MODE sandbox does not take payments in production."
            )

    # --- the provider interface ------------------------------------------------------------

    def create_checkout(self, checkout: CheckoutRequest) -> CheckoutSession:
        self.ensure_available()
        session_id = new_id("cs")
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(checkout.success_url))
        return CheckoutSession(id=session_id, url=origin + reverse("billing:sandbox_checkout", args=[session_id]))

    def cancel_subscription(self, subscription: SubscriptionInfo, *, at_period_end: bool) -> list[SignedEvent]:
        if at_period_end:
            return [
                self.event("customer.subscription.updated", self._subscription(subscription, cancel_at_period_end=True))
            ]
        return [self.event("customer.subscription.deleted", self._subscription(subscription, status="canceled"))]

    def refund(self, payment: PaymentInfo) -> list[SignedEvent]:
        return [
            self.event(
                "charge.refunded",
                {
                    "id": new_id("ch"),
                    "object": "charge",
                    "amount": payment.amount_cents,
                    "amount_refunded": payment.amount_cents,
                    "currency": payment.currency,
                    "payment_intent": payment.provider_payment_id,
                    "refunded": True,
                    "status": "succeeded",
                    "metadata": {"payment_id": payment.id},
                },
            )
        ]

    # --- what the TEST MODE pages can make happen -------------------------------------------

    def complete_checkout(self, payment: PaymentInfo) -> list[SignedEvent]:
        """The learner pressed "Pay" on the sandbox page: the session completes and is paid."""
        self.ensure_available()
        session = self._session(payment, status="complete", payment_status="paid")
        session["payment_intent"] = None if payment.recurring else new_id("pi")
        if not payment.recurring:
            return [self.event("checkout.session.completed", session)]
        session["subscription"] = new_id("sub")
        session["invoice"] = new_id("in")
        return [
            self.event("checkout.session.completed", session),
            self._invoice_payment_paid(session["invoice"], payment.amount_cents, payment.currency),
        ]

    def expire_checkout(self, payment: PaymentInfo) -> list[SignedEvent]:
        """The learner cancelled on the sandbox page (before the session's deadline), or left it
        open past its time (the housekeeping calls this after the deadline)."""
        self.ensure_available()
        return [
            self.event("checkout.session.expired", self._session(payment, status="expired", payment_status="unpaid"))
        ]

    def renew(
        self, subscription: SubscriptionInfo, *, succeed: bool, invoice_id: str | None, period_end: datetime
    ) -> list[SignedEvent]:
        """The plan's period ends and the provider charges for the next one, until ``period_end``
        (or fails to). ``invoice_id`` is the invoice a retry pays (None: a new invoice)."""
        invoice_id = invoice_id or new_id("in")
        start = subscription.current_period_end
        invoice = self._invoice(subscription, invoice_id, start=_ts(start), end=_ts(period_end), paid=succeed)
        if succeed:
            return [
                self.event("invoice.paid", invoice),
                self._invoice_payment_paid(invoice_id, invoice["amount_paid"], invoice["currency"]),
                self.event(
                    "customer.subscription.updated",
                    self._subscription(subscription, status="active", period_end=period_end),
                ),
            ]
        return [
            self.event("invoice.payment_failed", invoice),
            self.event("customer.subscription.updated", self._subscription(subscription, status="past_due")),
        ]

    def end_period(self, subscription: SubscriptionInfo) -> list[SignedEvent]:
        """The period of a plan cancelled at its end is over: the subscription ends."""
        return [self.event("customer.subscription.deleted", self._subscription(subscription, status="canceled"))]

    # --- events -------------------------------------------------------------------------------

    def event(self, event_type: str, data_object: dict[str, Any]) -> SignedEvent:
        """An event signed as the provider would sign it."""
        event = {
            "id": new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "type": event_type,
            "data": {"object": data_object},
        }
        payload = json.dumps(event)
        return SignedEvent(payload=payload.encode(), signature=sign(payload, self.webhook_secret))

    def _session(self, payment: PaymentInfo, *, status: str, payment_status: str) -> dict[str, Any]:
        metadata = {"payment_id": payment.id, "user_id": payment.user_id}
        return {
            "id": payment.provider_session_id,
            "object": "checkout.session",
            "mode": "subscription" if payment.recurring else "payment",
            "status": status,
            "payment_status": payment_status,
            "amount_total": payment.amount_cents,
            "currency": payment.currency,
            "client_reference_id": payment.id,
            "created": _ts(payment.created_at),
            "expires_at": _ts(payment.created_at + CHECKOUT_TTL),
            "url": None,  # a session that completed or expired has no payment page any more
            "customer_email": payment.customer_email,
            "metadata": metadata,
            "payment_intent": None,
            "subscription": None,
            "invoice": None,
            "livemode": False,
        }

    def _invoice(
        self, subscription: SubscriptionInfo, invoice_id: str, *, start: int, end: int, paid: bool
    ) -> dict[str, Any]:
        amount = settings.PLAN_PRICE_CENTS
        return {
            "id": invoice_id,
            "object": "invoice",
            "billing_reason": "subscription_cycle",
            "status": "paid" if paid else "open",
            "amount_due": amount,
            "amount_paid": amount if paid else 0,
            "currency": "usd",
            "attempt_count": 1,
            "customer_email": subscription.customer_email,
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": subscription.provider_subscription_id, "metadata": {}},
            },
            "lines": {"object": "list", "data": [{"object": "line_item", "period": {"start": start, "end": end}}]},
        }

    def _invoice_payment_paid(self, invoice_id: str, amount: int, currency: str) -> SignedEvent:
        return self.event(
            "invoice_payment.paid",
            {
                "id": new_id("inpay"),
                "object": "invoice_payment",
                "invoice": invoice_id,
                "amount_paid": amount,
                "currency": currency,
                "status": "paid",
                "payment": {"type": "payment_intent", "payment_intent": new_id("pi")},
            },
        )

    def _subscription(
        self,
        subscription: SubscriptionInfo,
        *,
        status: str | None = None,
        cancel_at_period_end: bool | None = None,
        period_end: datetime | None = None,
    ) -> dict[str, Any]:
        end = _ts(period_end or subscription.current_period_end)
        ending = subscription.cancel_at_period_end if cancel_at_period_end is None else cancel_at_period_end
        return {
            "id": subscription.provider_subscription_id,
            "object": "subscription",
            "status": status or subscription.status,
            "cancel_at_period_end": ending,
            "canceled_at": int(time.time()) if ending or status == "canceled" else None,
            "ended_at": int(time.time()) if status == "canceled" else None,
            "metadata": {"user_id": subscription.user_id},
            "items": {"object": "list", "data": [{"object": "subscription_item", "current_period_end": end}]},
        }
