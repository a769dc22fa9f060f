"""Billing fixtures: premium courses, the fake Stripe server, signed webhook posts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from momentum.billing.providers.signing import sign
from momentum.billing.tests import fake_stripe
from momentum.billing.tests.fake_stripe import FakeStripe
from momentum.catalog.models import Course, Pacing
from tests.factories import make_course, signed_in_client


def _course(slug: str, *, premium: bool) -> Course:
    """A 14-day business course, premium at $39 or free."""
    return make_course(
        slug.replace("-", " ").title(),
        slug=slug,
        description="Fourteen short lessons that make you better at it.",
        category="business",
        duration_days=14,
        pacing=Pacing.SELF_PACED,  # these tests are about buying, not pacing
        is_premium=premium,
        price_cents=3900 if premium else 0,
    )


@pytest.fixture
def premium_course(db: None) -> Course:
    return _course("negotiation-at-work", premium=True)


@pytest.fixture
def free_course(db: None) -> Course:
    return _course("freelancing-basics", premium=False)


@pytest.fixture
def browser_of() -> Any:
    """A Django test client signed in as ``user`` (pages use the session cookie)."""
    return signed_in_client


@pytest.fixture
def fake_stripe_server(settings: Any) -> Iterator[FakeStripe]:
    """Stripe as the provider, talking to a local Stripe on 127.0.0.1."""
    from momentum.billing.providers.stripe import breaker

    server = FakeStripe().start()
    settings.PAYMENTS_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = fake_stripe.API_KEY
    settings.STRIPE_WEBHOOK_SECRET = fake_stripe.WEBHOOK_SECRET
    settings.STRIPE_API_BASE = server.url
    settings.STRIPE_TIMEOUT_SECONDS = 5.0
    breaker.close()
    yield server
    server.stop()
    breaker.close()


@pytest.fixture
def deliver(client: Client) -> Any:
    """deliver(event) posts a provider event to the webhook as the provider would, signed."""

    def post(
        event: dict[str, Any],
        *,
        secret: str = fake_stripe.WEBHOOK_SECRET,
        header: str = "Stripe-Signature",
        timestamp: int | None = None,
        signature: str | None = None,
        payload: str | None = None,
    ) -> Any:
        body = payload if payload is not None else json.dumps(event)
        signed = signature if signature is not None else sign(json.dumps(event), secret, timestamp=timestamp)
        extra: dict[str, Any] = {"HTTP_" + header.upper().replace("-", "_"): signed} if signed else {}
        return client.post("/api/v1/payments/webhook", body, content_type="application/json", **extra)

    return post
