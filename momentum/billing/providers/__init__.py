"""Payment providers behind one small interface: ``stripe`` and the offline ``sandbox`` (the default).

A provider opens checkout sessions and forwards cancellations and refunds. It never changes our
records itself: what happened comes back as signed events through ``billing.webhooks.receive``,
for both providers, and only those events grant or end entitlements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from django.conf import settings

from momentum.billing.models import Provider
from momentum.lib.problems import Problem

if TYPE_CHECKING:
    from momentum.billing.models import Payment, Subscription
    from momentum.billing.products import Offer

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
    payment: Payment
    offer: Offer
    customer_email: str
    success_url: str
    cancel_url: str


class PaymentProvider(Protocol):
    name: Provider
    signature_header: str

    @property
    def webhook_secret(self) -> str: ...

    def ensure_available(self) -> None:
        """Raise a Problem when this provider cannot take payments here."""

    def create_checkout(self, checkout: CheckoutRequest) -> CheckoutSession: ...

    def cancel_subscription(self, subscription: Subscription, *, at_period_end: bool) -> None: ...

    def refund(self, payment: Payment) -> None: ...


def get(name: str) -> PaymentProvider:
    """The provider that handles records made with ``name``."""
    if name == Provider.STRIPE:
        from momentum.billing.providers.stripe import StripeProvider

        return StripeProvider()
    if name == Provider.SANDBOX:
        from momentum.billing.providers.sandbox import SandboxProvider

        return SandboxProvider()
    raise ValueError(f"unknown payment provider {name!r}")


def current() -> PaymentProvider:
    """The provider new checkouts use and whose webhooks we accept (MOMENTUM_PAYMENTS_PROVIDER)."""
    return get(settings.PAYMENTS_PROVIDER)


def is_sandbox() -> bool:
    return bool(settings.PAYMENTS_PROVIDER == Provider.SANDBOX)
