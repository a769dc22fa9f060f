"""GET /api/v1/me/payments: a learner's own payments, newest first, paginated."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.accounts.models import User
from momentum.billing.tests.test_sandbox_purchases import pay, start_checkout
from momentum.catalog.models import Course

pytestmark = pytest.mark.django_db


def test_a_learner_sees_their_own_payments(
    api_as: Any, browser_of: Any, learner: User, stranger: User, premium_course: Course
) -> None:
    client = browser_of(learner)
    payment = start_checkout(client, course=premium_course.slug)
    pay(client, payment)
    start_checkout(browser_of(stranger), course=premium_course.slug)

    body = api_as(learner).get("/me/payments").json()

    assert body["count"] == 1
    assert (body["page"], body["page_size"]) == (1, 20)
    [item] = body["items"]
    assert item["id"] == str(payment.pk)
    assert (item["amount_cents"], item["currency"], item["status"]) == (3900, "usd", "SUCCEEDED")
    assert item["course"] == {"id": premium_course.pk, "slug": premium_course.slug, "title": premium_course.title}
    assert item["plan"] is None


def test_payments_are_paginated(api_as: Any, browser_of: Any, learner: User, premium_course: Course) -> None:
    client = browser_of(learner)
    for _ in range(3):
        start_checkout(client, course=premium_course.slug)

    body = api_as(learner).get("/me/payments", {"page": 2, "page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["items"]) == 1


def test_a_page_size_over_100_is_refused(api_as: Any, learner: User) -> None:
    assert api_as(learner).get("/me/payments", {"page_size": 101}).status_code == 422


def test_payments_are_private(api: Any) -> None:
    assert api.get("/me/payments").status_code == 401
