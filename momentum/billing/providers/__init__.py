"""Payment providers behind one small interface: ``stripe`` and the offline ``sandbox`` (the default).

A provider opens checkout sessions and forwards cancellations and refunds. It never changes our
records itself: what happened comes back as signed events through ``billing.webhooks.receive``,
for both providers, and only those events grant or end entitlements. Stripe sends them later
over HTTP; the sandbox returns them at once (``SignedEvent``) and the caller
(``billing.provider_requests``) hands them to the webhook handler.

Providers import no models and no app but ``lib``: they are told about our records through the
plain ``PaymentInfo``, ``SubscriptionInfo`` and ``CheckoutRequest``, and report their calls
through ``meter``, which the billing app points at the metrics when it is ready.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings

from momentum.lib.problems import Problem

# The names records keep in ``provider`` (billing.models.Provider's values).
SANDBOX = "sandbox"
STRIPE = "stripe"

# How long a checkout session stays open: Stripe's default (and its longest), which the sandbox
# keeps too. An abandoned checkout then ends as EXPIRED through ``checkout.session.expired``.
CHECKOUT_TTL = timedelta(hours=24)


class ProviderUnavailable(Problem):
    def __init__(self, detail: str) -> None:
        super().__init__(503, "payment_provider_unavailable", detail, headers={"Retry-After": "30"})


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str


@dataclass(frozen=True)
class CheckoutRequest:
    payment_id: str
    user_id: str
    name: str  # what the learner buys, as the payment page shows it
    amount_cents: int
    currency: str
    recurring: bool  # the monthly plan (a subscription), else one payment
    customer_email: str
    success_url: str
    cancel_url: str


@dataclass(frozen=True)
class PaymentInfo:
    """What a provider is told about one of our payments."""

    id: str
    user_id: str
    customer_email: str
    recurring: bool
    amount_cents: int
    currency: str
    created_at: datetime
    provider_session_id: str | None
    provider_payment_id: str


@dataclass(frozen=True)
class SubscriptionInfo:
    """What a provider is told about one of our plans (``status`` in Stripe's words)."""

    provider_subscription_id: str
    user_id: str
    customer_email: str
    status: str  # "active", "past_due" or "canceled"
    current_period_end: datetime
    cancel_at_period_end: bool


@dataclass(frozen=True)
class SignedEvent:
    """An event as the provider signs it, for ``billing.webhooks.receive``."""

    payload: bytes
    signature: str


class Meter(Protocol):
    def call(self, provider: str, outcome: str, seconds: float) -> None: ...

    def circuit(self, provider: str, state: str) -> None: ...


class _NoMeter:
    def call(self, provider: str, outcome: str, seconds: float) -> None:
        pass

    def circuit(self, provider: str, state: str) -> None:
        pass


# Set by ``billing.apps.BillingConfig.ready`` to count calls and circuit states in /metrics.
meter: Meter = _NoMeter()


class PaymentProvider(Protocol):
    name: str
    signature_header: str

    @property
    def webhook_secret(self) -> str: ...

    def ensure_available(self) -> None:
        """Raise a Problem when this provider cannot take payments here."""

    def create_checkout(self, checkout: CheckoutRequest) -> CheckoutSession: ...

    def cancel_subscription(self, subscription: SubscriptionInfo, *, at_period_end: bool) -> list[SignedEvent]:
        """Ask for the plan to end; the events to apply now (none when they come over HTTP)."""

    def refund(self, payment: PaymentInfo) -> list[SignedEvent]:
        """Ask for a full refund; the events to apply now (none when they come over HTTP)."""


def get(name: str) -> PaymentProvider:
    """The provider that handles records made with ``name``."""
    if name == STRIPE:
        from momentum.billing.providers.stripe import StripeProvider

        return StripeProvider()
    if name == SANDBOX:
        from momentum.billing.providers.sandbox import SandboxProvider

        return SandboxProvider()
    raise ValueError(f"unknown payment provider {name!r}")


def current() -> PaymentProvider:
    """The provider new checkouts use and whose webhooks we accept (MOMENTUM_PAYMENTS_PROVIDER)."""
    return get(settings.PAYMENTS_PROVIDER)


def is_sandbox() -> bool:
    return bool(settings.PAYMENTS_PROVIDER == SANDBOX)
