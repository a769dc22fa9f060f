"""Receipts by email: a course purchase and the plan's start each send one, once, naming the site."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.accounts.models import User
from momentum.billing.tests.fake_stripe import FakeStripe
from momentum.billing.tests.test_sandbox_purchases import buy_plan, pay, start_checkout
from momentum.catalog.models import Course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_NAME = "Momentum Test Academy"
    settings.SITE_URL = "http://127.0.0.1:8104"


def test_buying_a_course_sends_a_receipt(
    browser_of: Any, learner: User, premium_course: Course, mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client = browser_of(learner)
    payment = start_checkout(client, course=premium_course.slug)

    with django_capture_on_commit_callbacks(execute=True):
        pay(client, payment)

    [receipt] = mailoutbox
    assert receipt.to == [learner.email]
    assert receipt.subject == f"[Momentum Test Academy] Your receipt for {premium_course.title}"
    assert "$39.00" in receipt.body
    assert str(payment.pk) in receipt.body
    assert "TEST MODE" in receipt.body
    assert f"http://127.0.0.1:8104/courses/{premium_course.slug}/" in receipt.body


def test_starting_the_plan_sends_a_receipt_with_its_renewal_date(
    browser_of: Any, learner: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        subscription = buy_plan(browser_of(learner))

    [receipt] = mailoutbox
    assert receipt.subject == "[Momentum Test Academy] Your Premium monthly plan has started"
    assert "$9.00" in receipt.body
    assert f"renews on {subscription.current_period_end:%-d %B %Y}" in receipt.body


def test_a_replayed_stripe_event_sends_no_second_receipt(
    *, api_as: Any, deliver: Any, learner: User, premium_course: Course, fake_stripe_server: FakeStripe,
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    body = api_as(learner).post("/checkout", {"course": premium_course.slug}).json()
    event = fake_stripe_server.complete_session(body["session_id"])

    with django_capture_on_commit_callbacks(execute=True):
        deliver(event)
        deliver(event)
        deliver(fake_stripe_server.event("checkout.session.async_payment_succeeded", event["data"]["object"]))

    assert [message.subject for message in mailoutbox] == [
        f"[Momentum Test Academy] Your receipt for {premium_course.title}"
    ]
