"""The billing pages: checkout, payment history on the profile, the studio's payments list."""

from __future__ import annotations

import re
from typing import Any

import pytest

from momentum.accounts.models import User
from momentum.billing.models import Payment
from momentum.billing.tests.test_sandbox_purchases import buy_plan, pay, start_checkout
from momentum.catalog.models import Course

pytestmark = pytest.mark.django_db


def test_the_checkout_page_shows_the_price_and_says_test_mode(
    browser_of: Any, learner: User, premium_course: Course
) -> None:
    page = browser_of(learner).get(f"/checkout/?course={premium_course.slug}").content.decode()

    assert premium_course.title in page
    assert "$39.00" in page
    assert "TEST MODE" in page
    assert "Continue to payment" in page


def test_the_plan_checkout_page_shows_the_monthly_price(browser_of: Any, learner: User, settings: Any) -> None:
    settings.PLAN_NAME, settings.PLAN_PRICE_CENTS = "Premium, monthly", 1250

    page = browser_of(learner).get("/checkout/?plan=premium_monthly").content.decode()

    assert "Premium, monthly" in page
    assert "$12.50" in page
    assert "per month" in page


def test_the_sandbox_page_is_unmistakably_test_mode_and_asks_for_no_card(
    browser_of: Any, learner: User, premium_course: Course
) -> None:
    client = browser_of(learner)
    payment = start_checkout(client, course=premium_course.slug)

    page = client.get(f"/checkout/sandbox/{payment.provider_session_id}/").content.decode()

    assert page.count("TEST MODE") >= 2
    assert "Pay $39.00 (test)" in page
    inputs = re.findall(r"<input[^>]*>", page)
    assert inputs
    assert all('type="hidden"' in field for field in inputs)  # nothing to type: no card number


def test_a_double_submitted_checkout_form_opens_one_session(
    browser_of: Any, learner: User, premium_course: Course
) -> None:
    client = browser_of(learner)
    form = {"course": premium_course.slug, "idempotency_key": "rendered-once"}

    first, second = client.post("/checkout/", form), client.post("/checkout/", form)

    assert first["Location"] == second["Location"]
    assert Payment.objects.count() == 1


def test_an_owned_course_is_not_sold_again(browser_of: Any, learner: User, premium_course: Course) -> None:
    client = browser_of(learner)
    pay(client, start_checkout(client, course=premium_course.slug))

    response = client.post("/checkout/", {"course": premium_course.slug, "idempotency_key": "again"})

    assert response.status_code == 409
    assert "You already have access to this course." in response.content.decode()
    assert Payment.objects.count() == 1


def test_checkout_asks_an_unverified_learner_to_verify_first(
    browser_of: Any, unverified_learner: User, premium_course: Course
) -> None:
    response = browser_of(unverified_learner).get(f"/checkout/?course={premium_course.slug}")

    assert response.status_code == 403
    assert "Verify your email address" in response.content.decode()


def test_checkout_sends_a_visitor_to_sign_in_first(client: Any, premium_course: Course) -> None:
    response = client.get(f"/checkout/?course={premium_course.slug}")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_checkout_without_a_product_says_there_is_nothing_to_buy(browser_of: Any, learner: User) -> None:
    response = browser_of(learner).get("/checkout/")

    assert response.status_code == 404
    assert "nothing to buy" in response.content.decode()


def test_the_payment_history_lists_the_learners_payments_and_plan(
    browser_of: Any, learner: User, stranger: User, premium_course: Course
) -> None:
    client = browser_of(learner)
    pay(client, start_checkout(client, course=premium_course.slug))
    subscription = buy_plan(client)
    start_checkout(browser_of(stranger), course=premium_course.slug)

    page = client.get("/profile/payments/").content.decode()

    assert premium_course.title in page
    assert "$39.00" in page
    assert "$9.00" in page
    assert page.count("<tr>") == 1 + 2  # the header and the learner's two payments, not the stranger's
    assert f"renews on <strong>{subscription.current_period_end:%-d %B %Y}</strong>" in page
    assert "Cancel plan" in page


def test_a_learner_without_a_plan_is_offered_one(browser_of: Any, learner: User) -> None:
    page = browser_of(learner).get("/profile/payments/").content.decode()

    assert "Go premium" in page
    assert "No payments yet" in page


def test_the_success_page_polls_while_the_payment_is_confirmed(
    browser_of: Any, learner: User, premium_course: Course
) -> None:
    client = browser_of(learner)
    payment = start_checkout(client, course=premium_course.slug)

    partial = client.get(f"/checkout/{payment.pk}/success/", HTTP_HX_REQUEST="true").content.decode()

    assert partial.startswith('<div id="payment-status"')
    assert 'hx-trigger="every 2s"' in partial


def test_the_studio_payments_page_is_for_admins(browser_of: Any, learner: User) -> None:
    assert browser_of(learner).get("/studio/payments/").status_code == 403


def test_the_studio_lists_payments_plans_revenue_and_provider_events(
    browser_of: Any, admin: User, learner: User, premium_course: Course
) -> None:
    client = browser_of(learner)
    pay(client, start_checkout(client, course=premium_course.slug))
    buy_plan(client)

    page = browser_of(admin).get("/studio/payments/").content.decode()

    assert "$48.00" in page  # net revenue of the last 30 days: 39 + 9
    assert learner.email in page
    assert "Renew: payment succeeds" in page  # the TEST MODE controls of the sandbox plan
    assert "checkout.session.completed" in page


def test_the_studio_filters_payments_by_status(
    browser_of: Any, admin: User, learner: User, premium_course: Course
) -> None:
    client = browser_of(learner)
    pay(client, start_checkout(client, course=premium_course.slug), "cancel")
    pay(client, start_checkout(client, course=premium_course.slug))

    page = browser_of(admin).get("/studio/payments/?status=CANCELLED").content.decode()

    assert '<span class="tag neutral">Cancelled</span>' in page
    assert '<span class="tag ok">Paid</span>' not in page


def test_the_sandbox_controls_are_hidden_with_stripe(
    browser_of: Any, admin: User, learner: User, settings: Any
) -> None:
    buy_plan(browser_of(learner))
    settings.PAYMENTS_PROVIDER = "stripe"

    page = browser_of(admin).get("/studio/payments/").content.decode()

    assert "Renew: payment succeeds" not in page


def test_the_premium_offer_tag_sells_a_course_until_the_learner_has_it(
    browser_of: Any, learner: User, premium_course: Course, rf: Any
) -> None:
    from django.template import Context, Template

    template = Template("{% load billing_tags %}{% premium_offer course %}")
    request = rf.get("/")
    request.user = learner
    before = template.render(Context({"request": request, "course": premium_course}))
    client = browser_of(learner)
    pay(client, start_checkout(client, course=premium_course.slug))
    after = template.render(Context({"request": request, "course": premium_course}))

    assert "Buy this course" in before
    assert "$39.00" in before
    assert "Buy this course" not in after
    assert "Included in your access" in after
