"""Billing housekeeping runs as a real scheduled workflow: lapsed plans end, stale sandbox checkouts expire."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from dbos import DBOS
from django.utils import timezone

from momentum.accounts.models import Role, User
from momentum.billing import workflows
from momentum.billing.models import Entitlement, Payment, PaymentStatus
from momentum.billing.tests.test_sandbox_purchases import buy_plan, start_checkout
from momentum.catalog.models import Course
from momentum.platform import durable

pytestmark = pytest.mark.django_db(transaction=True)


def run_housekeeping() -> dict[str, int]:
    workflow_id = durable.enqueue(workflows.plan_housekeeping, timezone.now(), None, queue="billing")
    return DBOS.retrieve_workflow(workflow_id).get_result()


def test_a_plan_whose_access_ran_out_makes_the_learner_free_again(
    workflows: None, browser_of: Any, learner: User, premium_learner: User
) -> None:
    subscription = buy_plan(browser_of(learner))
    # No renewal ever came, and the grace period is over.
    Entitlement.objects.filter(subscription=subscription).update(ends_at=timezone.now() - timedelta(minutes=1))

    result = run_housekeeping()

    learner.refresh_from_db()
    premium_learner.refresh_from_db()
    assert result["demoted"] == 1
    assert learner.role == Role.FREE
    assert premium_learner.role == Role.PREMIUM  # premium without a plan is not the workflow's business


def test_a_plan_still_running_is_left_alone(workflows: None, browser_of: Any, learner: User) -> None:
    buy_plan(browser_of(learner))

    assert run_housekeeping()["demoted"] == 0
    learner.refresh_from_db()
    assert learner.role == Role.PREMIUM


def test_a_sandbox_checkout_left_open_for_a_day_expires_through_the_sandbox_event(
    workflows: None, browser_of: Any, learner: User, premium_course: Course
) -> None:
    # given two unpaid checkouts, one opened a day ago and one 23 hours ago (Stripe's 24 h, as the sandbox's)
    stale = start_checkout(browser_of(learner), course=premium_course.slug)
    recent = start_checkout(browser_of(learner), course=premium_course.slug)
    Payment.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=24, minutes=1))
    Payment.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(hours=23))

    assert run_housekeeping()["checkouts_expired"] == 1

    assert Payment.objects.get(pk=stale.pk).status == PaymentStatus.EXPIRED
    assert Payment.objects.get(pk=recent.pk).status == PaymentStatus.PENDING
    page = browser_of(learner).get("/profile/payments/").content.decode()
    assert "Expired" in page
