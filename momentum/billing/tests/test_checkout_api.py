"""POST /api/v1/checkout: who may buy what, and what a checkout does (and does not) do."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.audit.models import AuditLog
from momentum.billing.models import Entitlement, Payment, PaymentStatus
from momentum.billing.queries import has_premium_access

pytestmark = pytest.mark.django_db


def test_a_verified_learner_gets_a_test_mode_checkout_for_a_premium_course(
    api_as: Any, learner, premium_course
) -> None:
    response = api_as(learner).post("/checkout", {"course": premium_course.slug})

    assert response.status_code == 201
    body = response.json()
    assert body["checkout_url"] == f"http://testserver/checkout/sandbox/{body['session_id']}/"
    payment = Payment.objects.get(pk=body["payment_id"])
    assert (payment.status, payment.amount_cents, payment.currency, payment.provider) == (
        PaymentStatus.PENDING, 3900, "usd", "sandbox",
    )  # fmt: skip
    assert payment.provider_session_id == body["session_id"]
    assert AuditLog.objects.filter(action="payment.created", resource_id=str(payment.pk)).exists()


def test_starting_a_checkout_grants_nothing(api_as: Any, learner, premium_course) -> None:
    api_as(learner).post("/checkout", {"course": premium_course.pk})

    assert not Entitlement.objects.exists()
    assert not has_premium_access(learner, premium_course)


def test_the_plan_is_priced_from_the_settings(api_as: Any, learner, settings: Any) -> None:
    settings.PLAN_PRICE_CENTS = 1200

    response = api_as(learner).post("/checkout", {"plan": "premium_monthly"})

    assert response.status_code == 201
    payment = Payment.objects.get(pk=response.json()["payment_id"])
    assert (payment.product, payment.plan, payment.amount_cents) == ("PLAN", "premium_monthly", 1200)


def test_an_unverified_learner_cannot_buy(api_as: Any, unverified_learner, premium_course) -> None:
    response = api_as(unverified_learner).post("/checkout", {"course": premium_course.slug})

    assert response.status_code == 403
    assert response.json()["code"] == "email_unverified"
    assert not Payment.objects.exists()


def test_a_visitor_must_sign_in_to_buy(api: Any, premium_course) -> None:
    response = api.post("/checkout", {"course": premium_course.slug})

    assert response.status_code == 401


def test_a_free_course_is_not_for_sale(api_as: Any, learner, free_course) -> None:
    response = api_as(learner).post("/checkout", {"course": free_course.slug})

    assert response.status_code == 409
    assert response.json()["code"] == "not_for_sale"


def test_a_premium_learner_already_has_every_premium_course(api_as: Any, premium_learner, premium_course) -> None:
    response = api_as(premium_learner).post("/checkout", {"course": premium_course.slug})

    assert response.status_code == 409
    assert response.json()["code"] == "already_entitled"


def test_an_unknown_course_is_not_found(api_as: Any, learner) -> None:
    response = api_as(learner).post("/checkout", {"course": "no-such-course"})

    assert response.status_code == 404


@pytest.mark.parametrize("body", [{}, {"course": "negotiation-at-work", "plan": "premium_monthly"}, {"plan": "gold"}])
def test_exactly_one_known_product_must_be_named(api_as: Any, learner, premium_course, body: dict[str, Any]) -> None:
    response = api_as(learner).post("/checkout", body)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_the_same_idempotency_key_returns_the_first_session(api_as: Any, learner, premium_course) -> None:
    client = api_as(learner)

    first = client.post("/checkout", {"course": premium_course.slug}, HTTP_IDEMPOTENCY_KEY="buy-negotiation-1")
    second = client.post("/checkout", {"course": premium_course.slug}, HTTP_IDEMPOTENCY_KEY="buy-negotiation-1")

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Payment.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_refused(api_as: Any, learner, premium_course) -> None:
    client = api_as(learner)
    client.post("/checkout", {"course": premium_course.slug}, HTTP_IDEMPOTENCY_KEY="k-1")

    response = client.post("/checkout", {"plan": "premium_monthly"}, HTTP_IDEMPOTENCY_KEY="k-1")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"


def test_without_a_key_each_checkout_is_a_new_session(api_as: Any, learner, premium_course) -> None:
    client = api_as(learner)

    first = client.post("/checkout", {"course": premium_course.slug}).json()
    second = client.post("/checkout", {"course": premium_course.slug}).json()

    assert first["session_id"] != second["session_id"]


def test_the_sandbox_takes_no_payment_in_production(api_as: Any, learner, premium_course, settings: Any) -> None:
    settings.IS_PROD = True

    response = api_as(learner).post("/checkout", {"course": premium_course.slug})

    assert response.status_code == 503
    assert response.json()["code"] == "payment_provider_unavailable"
    assert not Payment.objects.exists()
