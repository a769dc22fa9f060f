"""Stripe: Checkout Sessions through the stripe SDK; state comes back as signed webhooks.

Card data never reaches Momentum (PCI SAQ A): the learner pays on Stripe's hosted page. Every
call carries an idempotency key derived from our record, so the SDK's retries and ours never
create a second session or refund. A circuit breaker fails fast while Stripe does not answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

import pybreaker
import stripe
from django.conf import settings

from momentum.billing import providers
from momentum.billing.providers import (
    STRIPE,
    CheckoutRequest,
    CheckoutSession,
    PaymentInfo,
    ProviderUnavailable,
    SignedEvent,
    SubscriptionInfo,
)
from momentum.lib.logs import get_logger

log = get_logger("momentum.billing.stripe")
T = TypeVar("T")

# Errors that say our request was wrong, not that Stripe is unwell: they do not trip the breaker.
_OUR_MISTAKES = (stripe.InvalidRequestError, stripe.AuthenticationError, stripe.PermissionError, stripe.CardError)


class _BreakerGauge(pybreaker.CircuitBreakerListener):
    def state_change(self, cb: pybreaker.CircuitBreaker, old_state: Any, new_state: Any) -> None:
        providers.meter.circuit("stripe", new_state.name)
        if old_state is None or new_state.name != old_state.name:
            log.warning("circuit_state_changed", provider="stripe", state=new_state.name)


breaker = pybreaker.CircuitBreaker(
    fail_max=5, reset_timeout=30, exclude=list(_OUR_MISTAKES), listeners=[_BreakerGauge()], name="stripe"
)


@lru_cache(maxsize=4)
def _client(api_key: str, api_base: str, timeout: float) -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key,
        base_addresses={"api": api_base},
        max_network_retries=2,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


class StripeProvider:
    name = STRIPE
    signature_header = "Stripe-Signature"

    @property
    def webhook_secret(self) -> str:
        return str(settings.STRIPE_WEBHOOK_SECRET)

    def ensure_available(self) -> None:
        if not settings.STRIPE_SECRET_KEY:
            raise ProviderUnavailable("Payments are not configured on this site.")

    @property
    def client(self) -> stripe.StripeClient:
        return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE, settings.STRIPE_TIMEOUT_SECONDS)

    def create_checkout(self, checkout: CheckoutRequest) -> CheckoutSession:
        metadata = {"payment_id": checkout.payment_id, "user_id": checkout.user_id}
        price_data: dict[str, Any] = {
            "currency": checkout.currency,
            "unit_amount": checkout.amount_cents,
            "product_data": {"name": checkout.name},
        }
        params: dict[str, Any] = {
            "mode": "subscription" if checkout.recurring else "payment",
            "line_items": [{"quantity": 1, "price_data": price_data}],
            "success_url": checkout.success_url,
            "cancel_url": checkout.cancel_url,
            "client_reference_id": checkout.payment_id,
            "customer_email": checkout.customer_email,
            "metadata": metadata,
            # No ``expires_at``: Stripe's default is CHECKOUT_TTL (24 h), the longest it accepts,
            # and a value computed on our clock could land past it on Stripe's.
        }
        if checkout.recurring:
            price_data["recurring"] = {"interval": "month"}
            params["subscription_data"] = {"metadata": metadata}
        else:
            params["payment_intent_data"] = {"metadata": metadata}
        session = self._call(
            "checkout.create",
            lambda: self.client.v1.checkout.sessions.create(
                params,  # type: ignore[arg-type]
                {"idempotency_key": f"momentum-checkout-{checkout.payment_id}"},
            ),
        )
        if not session.url:
            raise ProviderUnavailable("Stripe opened a checkout session without a payment page.")
        return CheckoutSession(id=session.id, url=session.url)

    def cancel_subscription(self, subscription: SubscriptionInfo, *, at_period_end: bool) -> list[SignedEvent]:
        sub_id = subscription.provider_subscription_id
        if at_period_end:
            self._call(
                "subscription.update",
                lambda: self.client.v1.subscriptions.update(sub_id, {"cancel_at_period_end": True}),
            )
        else:
            self._call("subscription.cancel", lambda: self.client.v1.subscriptions.cancel(sub_id))
        return []  # Stripe's events come over HTTP

    def refund(self, payment: PaymentInfo) -> list[SignedEvent]:
        params: dict[str, Any] = {
            "payment_intent": payment.provider_payment_id,
            "metadata": {"payment_id": payment.id},
        }
        self._call(
            "refund.create",
            lambda: self.client.v1.refunds.create(
                params,  # type: ignore[arg-type]
                {"idempotency_key": f"momentum-refund-{payment.id}"},
            ),
        )
        return []  # Stripe's events come over HTTP

    def _call(self, operation: str, call: Callable[[], T]) -> T:
        started = time.monotonic()
        outcome = "ok"
        try:
            return breaker.call(call)
        except pybreaker.CircuitBreakerError:
            outcome = "circuit_open"
            raise ProviderUnavailable(
                "Stripe is not answering at the moment; nothing was charged. Try again soon."
            ) from None
        except stripe.StripeError as error:
            outcome = "error"
            log.error("stripe_call_failed", operation=operation, error=type(error).__name__, message=str(error))
            raise ProviderUnavailable(
                "Stripe did not accept the request; nothing was charged. Try again in a minute."
            ) from None
        finally:
            providers.meter.call("stripe", outcome, time.monotonic() - started)
