"""Stripe, against a local server speaking Stripe's API, with webhooks signed by Stripe's scheme.

Forged or altered signatures, stale or future timestamps and replays change nothing; Checkout
Sessions are created with the right shape and idempotency keys; the plan's life follows events.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from momentum.accounts.models import Role, User
from momentum.analytics.models import EventKind, LearningEvent
from momentum.audit.models import AuditLog
from momentum.billing.models import Payment, PaymentStatus, Subscription, SubscriptionStatus, WebhookEvent
from momentum.billing.queries import has_premium_access
from momentum.billing.tests.fake_stripe import FakeStripe
from momentum.catalog.models import Course
from momentum.learning.models import Enrollment
from momentum.observability import metrics

pytestmark = pytest.mark.django_db


def checkout(api_as: Any, user: User, **product: Any) -> tuple[Payment, dict[str, Any]]:
    response = api_as(user).post("/checkout", product)
    assert response.status_code == 201, response.json()
    return Payment.objects.get(pk=response.json()["payment_id"]), response.json()


def state(payment: Payment) -> tuple[str, int, int, int]:
    """What a forged or replayed event must not change."""
    payment.refresh_from_db()
    return (
        payment.status,
        LearningEvent.objects.filter(kind=EventKind.PAYMENT_SUCCEEDED).count(),
        AuditLog.objects.filter(action__startswith="payment.").count(),
        WebhookEvent.objects.count(),
    )


# --- Checkout sessions --------------------------------------------------------------------------


def test_a_course_checkout_opens_a_stripe_session_at_the_course_price(
    *, api_as: Any, learner: User, premium_course: Course, fake_stripe_server: FakeStripe
) -> None:
    payment, body = checkout(api_as, learner, course=premium_course.slug)

    [call] = fake_stripe_server.calls_to("POST", "/v1/checkout/sessions")
    assert call.params["mode"] == "payment"
    assert call.params["line_items"] == [
        {"quantity": "1", "price_data": {"currency": "usd", "unit_amount": "3900",
                                         "product_data": {"name": premium_course.title}}}
    ]  # fmt: skip
    assert call.params["metadata"]["payment_id"] == str(payment.pk)
    assert call.params["success_url"] == f"http://testserver/checkout/{payment.pk}/success/"
    assert call.idempotency_key == f"momentum-checkout-{payment.pk}"
    assert body["checkout_url"] == f"https://checkout.stripe.com/c/pay/{body['session_id']}"
    assert payment.provider_session_id == body["session_id"]


def test_a_plan_checkout_asks_stripe_for_a_monthly_subscription(
    *, api_as: Any, learner: User, fake_stripe_server: FakeStripe
) -> None:
    checkout(api_as, learner, plan="premium_monthly")

    [call] = fake_stripe_server.calls_to("POST", "/v1/checkout/sessions")
    assert call.params["mode"] == "subscription"
    assert call.params["line_items"][0]["price_data"]["recurring"] == {"interval": "month"}
    assert call.params["line_items"][0]["price_data"]["unit_amount"] == "900"


def test_an_unreachable_stripe_is_a_clear_503_and_charges_nothing(
    *, api_as: Any, learner: User, premium_course: Course, fake_stripe_server: FakeStripe
) -> None:
    fake_stripe_server.stop()

    response = api_as(learner).post("/checkout", {"course": premium_course.slug})

    assert response.status_code == 503
    assert response.json()["code"] == "payment_provider_unavailable"
    assert Payment.objects.get().status == PaymentStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_checkouts_with_the_same_key_create_one_session(
    live_server: Any, learner: User, premium_course: Course, fake_stripe_server: FakeStripe
) -> None:
    import threading

    import httpx

    from momentum.accounts.tokens import issue_access_token

    fake_stripe_server.create_delay_seconds = 1.0  # the first request is still at Stripe when the second arrives
    headers = {"Authorization": f"Bearer {issue_access_token(learner)}", "Idempotency-Key": "double-click-7"}
    start = threading.Barrier(2)
    answers: list[httpx.Response] = []

    def buy() -> None:
        start.wait()
        answers.append(
            httpx.post(f"{live_server.url}/api/v1/checkout", json={"course": premium_course.slug}, headers=headers,
                       timeout=30)
        )  # fmt: skip

    threads = [threading.Thread(target=buy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert len(fake_stripe_server.calls_to("POST", "/v1/checkout/sessions")) == 1
    assert Payment.objects.count() == 1


# --- Webhook signatures -----------------------------------------------------------------------------


def test_a_signed_checkout_completion_grants_the_course(
    *,
    api_as: Any,
    deliver: Any,
    learner: User,
    premium_course: Course,
    fake_stripe_server: FakeStripe,
    django_capture_on_commit_callbacks: Any,
) -> None:
    payment, body = checkout(api_as, learner, course=premium_course.slug)
    revenue_before = metrics.REVENUE_CENTS.labels("usd")._value.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(fake_stripe_server.complete_session(body["session_id"]))

    assert response.status_code == 200
    assert response.json()["duplicate"] is False
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.provider_payment_id.startswith("pi_test_")
    assert has_premium_access(learner, premium_course)
    assert int(LearningEvent.objects.get(kind=EventKind.PAYMENT_SUCCEEDED).value) == 3900
    assert metrics.REVENUE_CENTS.labels("usd")._value.get() == revenue_before + 3900


def test_a_paid_course_enrols_the_buyer_once_however_often_stripe_says_so(
    *, api_as: Any, deliver: Any, learner: User, premium_course: Course, fake_stripe_server: FakeStripe
) -> None:
    # given a paid checkout, announced twice (completed, then Stripe's async success) and replayed
    _payment, body = checkout(api_as, learner, course=premium_course.slug)
    completed = fake_stripe_server.complete_session(body["session_id"])
    succeeded = fake_stripe_server.event("checkout.session.async_payment_succeeded", completed["data"]["object"])

    # when
    for event in (completed, completed, succeeded):
        assert deliver(event).status_code == 200

    # then the buyer is enrolled, once, as learning's API shows
    assert Enrollment.objects.filter(user=learner, course=premium_course).count() == 1
    enrolments = api_as(learner).get("/me/enrollments").json()["items"]
    assert [item["course"]["slug"] for item in enrolments] == [premium_course.slug]
    assert LearningEvent.objects.filter(kind=EventKind.ENROLLED, user=learner).count() == 1


def test_a_forged_signature_changes_nothing(
    *, api_as: Any, deliver: Any, learner: User, premium_course: Course, fake_stripe_server: FakeStripe
) -> None:
    payment, body = checkout(api_as, learner, course=premium_course.slug)
    before = state(payment)

    response = deliver(fake_stripe_server.complete_session(body["session_id"]), secret="whsec_guessed_by_an_attacker")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_signature"
    assert state(payment) == before
    assert not has_premium_access(learner, premium_course)


def test_a_payload_altered_after_signing_changes_nothing(
    *, api_as: Any, deliver: Any, learner: User, premium_course: Course, fake_stripe_server: FakeStripe
) -> None:
    payment, _ = checkout(api_as, learner, course=premium_course.slug)
    other, body = checkout(api_as, learner, course=premium_course.slug)
    genuine = fake_stripe_server.event(
        "checkout.session.expired", {"id": body["session_id"], "object": "checkout.session"}
    )
    before = state(payment)
    tampered = json.dumps(genuine).replace("checkout.session.expired", "checkout.session.completed")

    response = deliver(genuine, payload=tampered)

    assert response.status_code == 400
    assert state(payment) == before
    assert Payment.objects.get(pk=other.pk).status == PaymentStatus.PENDING


@pytest.mark.parametrize("age_seconds", [301, 3600, -301])
def test_a_timestamp_outside_the_tolerance_changes_nothing(
    *,
    api_as: Any,
    deliver: Any,
    learner: User,
    premium_course: Course,
    fake_stripe_server: FakeStripe,
    age_seconds: int,
) -> None:
    payment, body = checkout(api_as, learner, course=premium_course.slug)
    before = state(payment)

    response = deliver(
        fake_stripe_server.complete_session(body["session_id"]), timestamp=int(time.time()) - age_seconds
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_signature"
    assert state(payment) == before


def test_an_unsigned_event_changes_nothing(
    *, api_as: Any, deliver: Any, learner: User, premium_course: Course, fake_stripe_server: FakeStripe
) -> None:
    payment, body = checkout(api_as, learner, course=premium_course.slug)
    before = state(payment)

    response = deliver(fake_stripe_server.complete_session(body["session_id"]), signature="")

    assert response.status_code == 400
    assert state(payment) == before


def test_a_sandbox_signed_event_is_refused_when_stripe_is_the_provider(
    *, api_as: Any, deliver: Any, learner: User, premium_course: Course, fake_stripe_server: FakeStripe, settings: Any
) -> None:
    payment, body = checkout(api_as, learner, course=premium_course.slug)
    before = state(payment)
    event = fake_stripe_server.complete_session(body["session_id"])

    response = deliver(event, secret=settings.SANDBOX_WEBHOOK_SECRET)
    sandbox_header = deliver(event, secret=settings.SANDBOX_WEBHOOK_SECRET, header="Momentum-Sandbox-Signature")

    assert (response.status_code, sandbox_header.status_code) == (400, 400)
    assert state(payment) == before


def test_a_replayed_event_changes_nothing(
    *, api_as: Any, deliver: Any, learner: User, premium_course: Course, fake_stripe_server: FakeStripe
) -> None:
    payment, body = checkout(api_as, learner, course=premium_course.slug)
    event = fake_stripe_server.complete_session(body["session_id"])
    deliver(event)
    after_first = state(payment)

    replay = deliver(event)

    assert replay.status_code == 200
    assert replay.json()["duplicate"] is True
    assert state(payment) == after_first
    assert LearningEvent.objects.filter(kind=EventKind.PAYMENT_SUCCEEDED).count() == 1


def test_an_event_momentum_does_not_act_on_is_recorded_and_ignored(
    deliver: Any, fake_stripe_server: FakeStripe
) -> None:
    response = deliver(fake_stripe_server.event("customer.created", {"id": "cus_test_1", "object": "customer"}))

    assert response.status_code == 200
    assert response.json()["outcome"].startswith("ignored")
    assert WebhookEvent.objects.get().processed_at is not None


def test_a_session_expired_before_its_deadline_cancels_the_payment(
    *, api_as: Any, deliver: Any, learner: User, premium_course: Course, fake_stripe_server: FakeStripe
) -> None:
    payment, body = checkout(api_as, learner, course=premium_course.slug)

    deliver(fake_stripe_server.expire_session(body["session_id"], early=True))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED


def test_an_abandoned_checkout_expires_after_a_day_and_the_learner_sees_expired(
    *, api_as: Any, browser_of: Any, deliver: Any, learner: User, premium_course: Course,
    fake_stripe_server: FakeStripe,
) -> None:  # fmt: skip
    # given a checkout the learner never paid, whose session Stripe opened for 24 hours
    payment, body = checkout(api_as, learner, course=premium_course.slug)
    session = fake_stripe_server.sessions[body["session_id"]]
    assert session["expires_at"] - session["created"] == 24 * 3600

    # when Stripe's clock reaches the deadline and it sends the (real-shaped) event
    response = deliver(fake_stripe_server.expire_session(body["session_id"]))

    # then the payment is expired, in the API and on the learner's payments page
    assert response.json()["outcome"] == f"payment {payment.pk} expired"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED
    assert api_as(learner).get("/me/payments").json()["items"][0]["status"] == "EXPIRED"
    page = browser_of(learner).get("/profile/payments/").content.decode()
    assert "Expired" in page
    assert "Awaiting payment" not in page


# --- The plan's life ---------------------------------------------------------------------------------


def test_the_plan_follows_stripe_events_from_purchase_to_its_end(
    *, api_as: Any, deliver: Any, learner: User, fake_stripe_server: FakeStripe
) -> None:
    _, body = checkout(api_as, learner, plan="premium_monthly")
    completed = fake_stripe_server.complete_session(body["session_id"])
    sub_id = completed["data"]["object"]["subscription"]
    deliver(completed)
    learner.refresh_from_db()
    assert learner.role == Role.PREMIUM

    renewal = fake_stripe_server.invoice(sub_id, paid=True)
    deliver(fake_stripe_server.event("invoice.paid", renewal))
    subscription = Subscription.objects.get(provider_subscription_id=sub_id)
    assert subscription.current_period_end.timestamp() == renewal["lines"]["data"][0]["period"]["end"]
    assert Payment.objects.get(provider_invoice_id=renewal["id"]).status == PaymentStatus.SUCCEEDED

    client = Client()
    client.force_login(learner)
    client.post("/profile/payments/plan/cancel/")
    [update] = fake_stripe_server.calls_to("POST", f"/v1/subscriptions/{sub_id}")
    assert update.params == {"cancel_at_period_end": "true"}
    deliver(fake_stripe_server.event("customer.subscription.updated", fake_stripe_server.subscriptions[sub_id]))
    subscription.refresh_from_db()
    learner.refresh_from_db()
    assert subscription.cancel_at_period_end
    assert learner.role == Role.PREMIUM

    ended = dict(fake_stripe_server.subscriptions[sub_id], status="canceled")
    deliver(fake_stripe_server.event("customer.subscription.deleted", ended))
    subscription.refresh_from_db()
    learner.refresh_from_db()
    assert (subscription.status, learner.role) == (SubscriptionStatus.CANCELLED, Role.FREE)


def test_a_declined_renewal_from_stripe_makes_the_plan_past_due(
    *, api_as: Any, deliver: Any, learner: User, fake_stripe_server: FakeStripe
) -> None:
    _, body = checkout(api_as, learner, plan="premium_monthly")
    completed = fake_stripe_server.complete_session(body["session_id"])
    deliver(completed)
    sub_id = completed["data"]["object"]["subscription"]

    deliver(fake_stripe_server.event("invoice.payment_failed", fake_stripe_server.invoice(sub_id, paid=False)))

    learner.refresh_from_db()
    assert Subscription.objects.get(provider_subscription_id=sub_id).status == SubscriptionStatus.PAST_DUE
    assert learner.role == Role.FREE


def test_a_late_update_never_revives_an_ended_plan(
    *, api_as: Any, deliver: Any, learner: User, fake_stripe_server: FakeStripe
) -> None:
    _, body = checkout(api_as, learner, plan="premium_monthly")
    completed = fake_stripe_server.complete_session(body["session_id"])
    deliver(completed)
    sub_id = completed["data"]["object"]["subscription"]
    stale_update = fake_stripe_server.event(
        "customer.subscription.updated", dict(fake_stripe_server.subscriptions[sub_id])
    )
    ended = dict(fake_stripe_server.subscriptions[sub_id], status="canceled")
    deliver(fake_stripe_server.event("customer.subscription.deleted", ended))

    deliver(stale_update)

    learner.refresh_from_db()
    assert Subscription.objects.get(provider_subscription_id=sub_id).status == SubscriptionStatus.CANCELLED
    assert learner.role == Role.FREE


def test_a_refund_from_the_studio_goes_to_stripe_and_its_event_records_it(
    *, api_as: Any, deliver: Any, admin: User, learner: User, premium_course: Course, fake_stripe_server: FakeStripe
) -> None:
    payment, body = checkout(api_as, learner, course=premium_course.slug)
    deliver(fake_stripe_server.complete_session(body["session_id"]))
    payment.refresh_from_db()
    studio = Client()
    studio.force_login(admin)

    studio.post(f"/studio/payments/{payment.pk}/refund/")

    [refund] = fake_stripe_server.calls_to("POST", "/v1/refunds")
    assert refund.params["payment_intent"] == payment.provider_payment_id
    assert refund.idempotency_key == f"momentum-refund-{payment.pk}"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED  # not before Stripe confirms

    deliver(fake_stripe_server.charge_refunded(payment.provider_payment_id, 3900))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert not has_premium_access(learner, premium_course)


def test_a_partial_refund_leaves_the_payment_paid(
    *, api_as: Any, deliver: Any, learner: User, premium_course: Course, fake_stripe_server: FakeStripe
) -> None:
    payment, body = checkout(api_as, learner, course=premium_course.slug)
    deliver(fake_stripe_server.complete_session(body["session_id"]))
    payment.refresh_from_db()

    deliver(fake_stripe_server.charge_refunded(payment.provider_payment_id, 3900, refunded=False))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert has_premium_access(learner, premium_course)
