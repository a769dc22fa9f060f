"""The sandbox, end to end through the pages: buying a course, the plan's whole life, refunds.

Everything here goes through the sandbox's signed events and the webhook handler that Stripe's
events go through too; the pages only show what those events recorded.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from momentum.accounts.models import Notification, Role, User
from momentum.analytics.models import EventKind, LearningEvent
from momentum.audit.models import AuditLog
from momentum.billing.models import Entitlement, Payment, PaymentStatus, Subscription, SubscriptionStatus, WebhookEvent
from momentum.billing.queries import has_premium_access
from momentum.catalog.models import Course

pytestmark = pytest.mark.django_db


def start_checkout(client: Client, **product: str) -> Payment:
    response = client.post("/checkout/", {**product, "idempotency_key": uuid.uuid4().hex})
    assert response.status_code == 303, response.content.decode()
    assert response["Location"].startswith("http://testserver/checkout/sandbox/")
    return Payment.objects.get(provider_session_id=response["Location"].rstrip("/").rsplit("/", 1)[1])


def pay(client: Client, payment: Payment, action: str = "pay") -> Any:
    return client.post(f"/checkout/sandbox/{payment.provider_session_id}/", {"action": action})


def buy_plan(client: Client) -> Subscription:
    payment = start_checkout(client, plan="premium_monthly")
    pay(client, payment)
    payment.refresh_from_db()
    return Subscription.objects.get(provider_subscription_id=payment.provider_subscription_id)


def test_paying_on_the_sandbox_page_grants_the_course(browser_of: Any, learner: User, premium_course: Course) -> None:
    client = browser_of(learner)
    payment = start_checkout(client, course=premium_course.slug)

    response = pay(client, payment)

    assert response.status_code == 302
    assert response["Location"] == f"/checkout/{payment.pk}/success/"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.paid_at is not None
    assert has_premium_access(learner, premium_course)
    page = client.get(response["Location"]).content.decode()
    assert f"You now have access to {premium_course.title}" in page


def test_the_success_page_alone_grants_nothing(browser_of: Any, learner: User, premium_course: Course) -> None:
    client = browser_of(learner)
    payment = start_checkout(client, course=premium_course.slug)

    page = client.get(f"/checkout/{payment.pk}/success/").content.decode()

    assert "Confirming your payment" in page
    assert not has_premium_access(learner, premium_course)
    assert not Entitlement.objects.exists()


def test_cancelling_on_the_sandbox_page_takes_no_payment(
    browser_of: Any, learner: User, premium_course: Course
) -> None:
    client = browser_of(learner)
    payment = start_checkout(client, course=premium_course.slug)

    response = pay(client, payment, "cancel")

    assert response["Location"] == f"/checkout/{payment.pk}/cancelled/"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    assert not has_premium_access(learner, premium_course)
    assert "No payment was taken" in client.get(response["Location"]).content.decode()


def test_a_closed_sandbox_checkout_cannot_be_paid_again(browser_of: Any, learner: User, premium_course: Course) -> None:
    client = browser_of(learner)
    payment = start_checkout(client, course=premium_course.slug)
    pay(client, payment, "cancel")

    response = pay(client, payment)

    assert response.status_code == 200
    assert "no longer open" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED


def test_someone_elses_checkout_does_not_exist_for_you(
    browser_of: Any, learner: User, stranger: User, premium_course: Course
) -> None:
    payment = start_checkout(browser_of(learner), course=premium_course.slug)
    intruder = browser_of(stranger)

    assert pay(intruder, payment).status_code == 404
    assert intruder.get(f"/checkout/{payment.pk}/success/").status_code == 404
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_a_paid_course_counts_as_revenue(browser_of: Any, learner: User, premium_course: Course) -> None:
    client = browser_of(learner)
    pay(client, start_checkout(client, course=premium_course.slug))

    event = LearningEvent.objects.get(kind=EventKind.PAYMENT_SUCCEEDED)
    assert (event.user, event.course, int(event.value)) == (learner, premium_course, 3900)


def test_buying_the_plan_makes_a_free_learner_premium(browser_of: Any, learner: User, premium_course: Course) -> None:
    subscription = buy_plan(browser_of(learner))

    learner.refresh_from_db()
    assert learner.role == Role.PREMIUM
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert has_premium_access(learner, premium_course)
    assert AuditLog.objects.filter(action="account.role_changed", subject=learner, metadata__to="PREMIUM").exists()


def test_a_renewal_extends_the_plan_with_a_second_payment(browser_of: Any, admin: User, learner: User) -> None:
    subscription = buy_plan(browser_of(learner))
    period_end = subscription.current_period_end

    browser_of(admin).post(f"/studio/payments/plans/{subscription.pk}/sandbox/", {"action": "renew"})

    subscription.refresh_from_db()
    assert subscription.current_period_end > period_end + timedelta(days=27)
    assert list(Payment.objects.filter(user=learner).values_list("status", flat=True)) == ["SUCCEEDED"] * 2
    learner.refresh_from_db()
    assert learner.role == Role.PREMIUM
    assert LearningEvent.objects.filter(kind=EventKind.PAYMENT_SUCCEEDED, user=learner).count() == 2


def test_a_declined_renewal_pauses_premium_until_a_retry_succeeds(browser_of: Any, admin: User, learner: User) -> None:
    subscription = buy_plan(browser_of(learner))
    studio = browser_of(admin)

    studio.post(f"/studio/payments/plans/{subscription.pk}/sandbox/", {"action": "fail"})

    subscription.refresh_from_db()
    learner.refresh_from_db()
    assert (subscription.status, learner.role) == (SubscriptionStatus.PAST_DUE, Role.FREE)
    failed = Payment.objects.get(user=learner, status=PaymentStatus.FAILED)
    assert Notification.objects.filter(user=learner, kind="payment_failed").exists()

    studio.post(f"/studio/payments/plans/{subscription.pk}/sandbox/", {"action": "renew"})

    subscription.refresh_from_db()
    learner.refresh_from_db()
    failed.refresh_from_db()
    assert (subscription.status, learner.role, failed.status) == (
        SubscriptionStatus.ACTIVE, Role.PREMIUM, PaymentStatus.SUCCEEDED,
    )  # fmt: skip


def test_a_cancelled_plan_keeps_premium_until_the_period_ends(browser_of: Any, admin: User, learner: User) -> None:
    client = browser_of(learner)
    subscription = buy_plan(client)

    client.post("/profile/payments/plan/cancel/")

    subscription.refresh_from_db()
    learner.refresh_from_db()
    assert subscription.cancel_at_period_end
    assert learner.role == Role.PREMIUM
    assert Entitlement.objects.get(subscription=subscription).ends_at == subscription.current_period_end

    browser_of(admin).post(f"/studio/payments/plans/{subscription.pk}/sandbox/", {"action": "end_period"})

    subscription.refresh_from_db()
    learner.refresh_from_db()
    assert (subscription.status, learner.role) == (SubscriptionStatus.CANCELLED, Role.FREE)


def test_an_admin_can_end_a_plan_now(browser_of: Any, admin: User, learner: User) -> None:
    subscription = buy_plan(browser_of(learner))

    browser_of(admin).post(f"/studio/payments/plans/{subscription.pk}/end/")

    learner.refresh_from_db()
    assert learner.role == Role.FREE
    assert Subscription.objects.get(pk=subscription.pk).status == SubscriptionStatus.CANCELLED


def test_an_admin_is_never_demoted_when_a_plan_ends(browser_of: Any, admin: User, learner: User) -> None:
    subscription = buy_plan(browser_of(learner))
    User.objects.filter(pk=learner.pk).update(role=Role.ADMIN)

    browser_of(admin).post(f"/studio/payments/plans/{subscription.pk}/end/")

    learner.refresh_from_db()
    assert learner.role == Role.ADMIN


def test_refunding_a_course_takes_access_back(
    browser_of: Any, admin: User, learner: User, premium_course: Course
) -> None:
    client = browser_of(learner)
    payment = start_checkout(client, course=premium_course.slug)
    pay(client, payment)

    browser_of(admin).post(f"/studio/payments/{payment.pk}/refund/")

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.refunded_at is not None
    assert not has_premium_access(learner, premium_course)
    refund = LearningEvent.objects.get(kind=EventKind.PAYMENT_REFUNDED)
    assert int(refund.value) == 3900


def test_refunding_the_plan_payment_ends_premium(browser_of: Any, admin: User, learner: User) -> None:
    subscription = buy_plan(browser_of(learner))
    payment = Payment.objects.get(provider_subscription_id=subscription.provider_subscription_id)

    browser_of(admin).post(f"/studio/payments/{payment.pk}/refund/")

    payment.refresh_from_db()
    learner.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert learner.role == Role.FREE


def test_every_state_change_of_a_plan_is_audited(browser_of: Any, admin: User, learner: User) -> None:
    client = browser_of(learner)
    subscription = buy_plan(client)
    client.post("/profile/payments/plan/cancel/")
    browser_of(admin).post(f"/studio/payments/plans/{subscription.pk}/sandbox/", {"action": "end_period"})

    actions = list(AuditLog.objects.filter(subject=learner).order_by("created_at").values_list("action", flat=True))

    assert [action for action in actions if action != "account.created"] == [
        "payment.created",
        "payment.succeeded",
        "subscription.created",
        "entitlement.granted",
        "account.role_changed",
        "subscription.cancel_scheduled",
        "entitlement.shortened",
        "subscription.cancel_requested",
        "subscription.cancelled",
        "entitlement.ended",
        "account.role_changed",
    ]


def test_every_sandbox_event_is_recorded_once_and_applied(browser_of: Any, learner: User) -> None:
    buy_plan(browser_of(learner))

    events = list(WebhookEvent.objects.order_by("received_at").values_list("provider", "type"))

    assert events == [("sandbox", "checkout.session.completed"), ("sandbox", "invoice_payment.paid")]
    assert not WebhookEvent.objects.filter(processed_at=None).exists()


def test_the_webhook_endpoint_accepts_only_events_the_sandbox_signed(
    browser_of: Any, deliver: Any, learner: User, premium_course: Course, settings: Any
) -> None:
    payment = start_checkout(browser_of(learner), course=premium_course.slug)
    session = {"id": payment.provider_session_id, "object": "checkout.session", "mode": "payment",
               "payment_status": "paid", "amount_total": 3900, "payment_intent": "pi_sbx_1"}  # fmt: skip
    event = {"id": "evt_sbx_1", "object": "event", "type": "checkout.session.completed", "data": {"object": session}}

    forged = deliver(event, header="Momentum-Sandbox-Signature")  # signed with another secret
    genuine = deliver(event, header="Momentum-Sandbox-Signature", secret=settings.SANDBOX_WEBHOOK_SECRET)

    assert (forged.status_code, genuine.status_code) == (400, 200)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


def refund_plan_payment(browser_of: Any, admin: User, subscription: Subscription) -> Client:
    payment = Payment.objects.get(provider_subscription_id=subscription.provider_subscription_id)
    studio: Client = browser_of(admin)
    studio.post(f"/studio/payments/{payment.pk}/refund/")
    return studio


def test_a_later_plan_update_does_not_bring_back_a_refunded_period(browser_of: Any, admin: User, learner: User) -> None:
    client = browser_of(learner)
    refund_plan_payment(browser_of, admin, buy_plan(client))

    client.post("/profile/payments/plan/cancel/")  # the provider sends the plan's new state

    learner.refresh_from_db()
    assert learner.role == Role.FREE


def test_a_renewal_after_a_refund_brings_premium_back(browser_of: Any, admin: User, learner: User) -> None:
    subscription = buy_plan(browser_of(learner))
    studio = refund_plan_payment(browser_of, admin, subscription)

    studio.post(f"/studio/payments/plans/{subscription.pk}/sandbox/", {"action": "renew"})

    learner.refresh_from_db()
    assert learner.role == Role.PREMIUM


def test_revenue_from_a_paid_course_shows_in_the_analytics_overview(
    browser_of: Any, api_as: Any, learner: User, admin: User, premium_course: Course
) -> None:
    # Given a course bought through the sandbox (its signed event goes through the webhook path)
    client = browser_of(learner)
    pay(client, start_checkout(client, course=premium_course.slug))
    admin_api = api_as(admin)

    # Then the overview counts its price, the rollup or no rollup
    assert admin_api.get("/admin/analytics/overview").json()["revenue_cents_total"] == premium_course.price_cents
    assert admin_api.post("/admin/analytics/rollup").status_code in (200, 202)
    assert admin_api.get("/admin/analytics/overview").json()["revenue_cents_total"] == premium_course.price_cents
