"""The sandbox: an offline stand-in for Stripe, for development, tests and demos (TEST MODE).

Its checkout page is ours (``billing:sandbox_checkout``) and collects no card. What the learner
or an admin does there becomes the events Stripe would send, in Stripe's shapes, signed with
Stripe's scheme and the sandbox's own secret, and handed to ``billing.webhooks.receive`` — the
code that handles Stripe's webhooks. So the sandbox exercises the same verification, replay
protection, entitlements and role changes as real payments.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from momentum.billing.models import Payment, PaymentStatus, Product, Provider, Subscription, SubscriptionStatus
from momentum.billing.products import one_month_after
from momentum.billing.providers import CHECKOUT_TTL, CheckoutRequest, CheckoutSession, ProviderUnavailable
from momentum.billing.providers.signing import sign
from momentum.lib.problems import Conflict

API_VERSION = "2026-02-25.clover"  # the shapes below follow this Stripe API version


def new_id(prefix: str) -> str:
    return f"{prefix}_sbx_{secrets.token_hex(12)}"


def _ts(moment: Any) -> int:
    return int(moment.timestamp())


class SandboxProvider:
    name = Provider.SANDBOX
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

    def cancel_subscription(self, subscription: Subscription, *, at_period_end: bool) -> None:
        if subscription.status == SubscriptionStatus.CANCELLED:
            raise Conflict("subscription_ended", "This plan has already ended.")
        if at_period_end:
            self.emit("customer.subscription.updated", self._subscription(subscription, cancel_at_period_end=True))
        else:
            self.emit("customer.subscription.deleted", self._subscription(subscription, status="canceled"))

    def refund(self, payment: Payment) -> None:
        if payment.status != PaymentStatus.SUCCEEDED or not payment.provider_payment_id:
            raise Conflict("not_refundable", "Only a completed payment can be refunded.")
        self.emit(
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
                "metadata": {"payment_id": str(payment.id)},
            },
        )

    # --- what the TEST MODE pages can make happen -------------------------------------------

    def complete_checkout(self, payment: Payment) -> None:
        """The learner pressed "Pay" on the sandbox page: the session completes and is paid."""
        self._require_open(payment)
        recurring = payment.product == Product.PLAN
        session = self._session(payment, status="complete", payment_status="paid")
        session["payment_intent"] = None if recurring else new_id("pi")
        if recurring:
            session["subscription"] = new_id("sub")
            session["invoice"] = new_id("in")
        self.emit("checkout.session.completed", session)
        if recurring:
            self._invoice_payment_paid(session["invoice"], payment.amount_cents, payment.currency)

    def expire_checkout(self, payment: Payment) -> None:
        """The learner cancelled on the sandbox page (before the session's deadline), or left it
        open past its time (the housekeeping calls this after the deadline)."""
        self._require_open(payment)
        self.emit("checkout.session.expired", self._session(payment, status="expired", payment_status="unpaid"))

    def renew(self, subscription: Subscription, *, succeed: bool) -> None:
        """The plan's period ends and the provider charges for the next one (or fails to)."""
        if subscription.status == SubscriptionStatus.CANCELLED:
            raise Conflict("subscription_ended", "This plan has already ended.")
        if subscription.cancel_at_period_end:
            raise Conflict("renewal_cancelled", "This plan is cancelled at the end of its period; it will not renew.")
        # A retry after a failure pays the invoice that failed; otherwise a new invoice.
        failed = (
            Payment.objects.filter(
                provider_subscription_id=subscription.provider_subscription_id, status=PaymentStatus.FAILED
            )
            .exclude(provider_invoice_id=None)
            .order_by("-created_at")
            .first()
        )
        retrying = subscription.status == SubscriptionStatus.PAST_DUE and failed is not None
        invoice_id = failed.provider_invoice_id if retrying and failed else new_id("in")
        start = subscription.current_period_end
        end = one_month_after(start)
        invoice = self._invoice(subscription, str(invoice_id), start=_ts(start), end=_ts(end), paid=succeed)
        if succeed:
            self.emit("invoice.paid", invoice)
            self._invoice_payment_paid(str(invoice_id), invoice["amount_paid"], invoice["currency"])
            self.emit(
                "customer.subscription.updated", self._subscription(subscription, status="active", period_end=end)
            )
        else:
            self.emit("invoice.payment_failed", invoice)
            self.emit("customer.subscription.updated", self._subscription(subscription, status="past_due"))

    def end_period(self, subscription: Subscription) -> None:
        """The period of a plan cancelled at its end is over: the subscription ends."""
        if not subscription.cancel_at_period_end or subscription.status == SubscriptionStatus.CANCELLED:
            raise Conflict("not_ending", "Only a plan cancelled at the end of its period can reach its end here.")
        self.emit("customer.subscription.deleted", self._subscription(subscription, status="canceled"))

    # --- events -------------------------------------------------------------------------------

    def emit(self, event_type: str, data_object: dict[str, Any]) -> None:
        """Sign an event as the provider would and hand it to the webhook handler."""
        from momentum.billing import webhooks

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
        webhooks.receive(self, payload.encode(), sign(payload, self.webhook_secret))

    def _require_open(self, payment: Payment) -> None:
        self.ensure_available()
        if payment.provider != Provider.SANDBOX or payment.status != PaymentStatus.PENDING:
            raise Conflict("checkout_closed", "This checkout is no longer open.")

    def _session(self, payment: Payment, *, status: str, payment_status: str) -> dict[str, Any]:
        metadata = {"payment_id": str(payment.id), "user_id": str(payment.user_id)}
        return {
            "id": payment.provider_session_id,
            "object": "checkout.session",
            "mode": "subscription" if payment.product == Product.PLAN else "payment",
            "status": status,
            "payment_status": payment_status,
            "amount_total": payment.amount_cents,
            "currency": payment.currency,
            "client_reference_id": str(payment.id),
            "created": _ts(payment.created_at),
            "expires_at": _ts(payment.created_at + CHECKOUT_TTL),
            "url": None,  # a session that completed or expired has no payment page any more
            "customer_email": payment.user.email,
            "metadata": metadata,
            "payment_intent": None,
            "subscription": None,
            "invoice": None,
            "livemode": False,
        }

    def _invoice(
        self, subscription: Subscription, invoice_id: str, *, start: int, end: int, paid: bool
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
            "customer_email": subscription.user.email,
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": subscription.provider_subscription_id, "metadata": {}},
            },
            "lines": {"object": "list", "data": [{"object": "line_item", "period": {"start": start, "end": end}}]},
        }

    def _invoice_payment_paid(self, invoice_id: str, amount: int, currency: str) -> None:
        self.emit(
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
        subscription: Subscription,
        *,
        status: str | None = None,
        cancel_at_period_end: bool | None = None,
        period_end: Any = None,
    ) -> dict[str, Any]:
        current_status = {
            SubscriptionStatus.ACTIVE: "active",
            SubscriptionStatus.PAST_DUE: "past_due",
            SubscriptionStatus.CANCELLED: "canceled",
        }[SubscriptionStatus(subscription.status)]
        end = _ts(period_end or subscription.current_period_end)
        ending = subscription.cancel_at_period_end if cancel_at_period_end is None else cancel_at_period_end
        return {
            "id": subscription.provider_subscription_id,
            "object": "subscription",
            "status": status or current_status,
            "cancel_at_period_end": ending,
            "canceled_at": int(time.time()) if ending or status == "canceled" else None,
            "ended_at": int(time.time()) if status == "canceled" else None,
            "metadata": {"user_id": str(subscription.user_id)},
            "items": {"object": "list", "data": [{"object": "subscription_item", "current_period_end": end}]},
        }
