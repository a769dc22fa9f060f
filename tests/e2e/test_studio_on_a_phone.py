"""In Chromium: the studio's analytics charts are readable on a phone (375 px) and the revenue chart
stays at or above $0 after a refund; a deleted account shows as deleted, not with its old role."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from momentum.accounts.actions import do_erase_account
from momentum.accounts.models import User
from momentum.analytics.models import EventKind
from momentum.analytics.tests.happenings import days_ago, event
from momentum.billing.models import Payment
from tests.factories import make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
# The size a chart's text is drawn at on the screen: its font size times the SVG's scale.
DRAWN_SIZES = """() => [...document.querySelectorAll('svg.chart:not(.chart-calendar) text')].map(text => ({
    text: text.textContent,
    px: parseFloat(getComputedStyle(text).fontSize) * text.ownerSVGElement.getScreenCTM().a,
}))"""


def sign_in(page: Any, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def sales(learner: User) -> None:
    """A $29 course bought three days ago and refunded yesterday, and a learner's lessons."""
    course = make_course("Beekeeping for Beginners", is_premium=True, price_cents=2900)
    Payment.objects.create(user=learner, product="COURSE", course=course, amount_cents=2900, status="REFUNDED",
                           provider="sandbox", paid_at=days_ago(3), refunded_at=days_ago(1))  # fmt: skip
    event(EventKind.PAYMENT_SUCCEEDED, user=learner, course=course, value=Decimal(2900), ago=3)
    event(EventKind.PAYMENT_REFUNDED, user=learner, course=course, value=Decimal(2900), ago=1)
    event(EventKind.ENROLLED, user=learner, course=course, ago=3)
    event(EventKind.LESSON_COMPLETED, user=learner, course=course, lesson=course.lessons.get(day=1), ago=2)


@pytest.mark.parametrize("view", ["analytics:studio_dashboard", "analytics:studio_analytics"])
def test_chart_labels_are_readable_on_a_phone(
    page: Any, live_server: Any, admin: User, sales: None, screenshot: Any, *, view: str
) -> None:
    sign_in(page, live_server, admin)
    page.set_viewport_size(PHONE)
    page.goto(reverse(view))
    screenshot(page, view.split(":")[1])

    sizes = page.evaluate(DRAWN_SIZES)

    assert sizes, "the page draws charts"
    too_small = [size for size in sizes if size["px"] < 10.5]
    assert too_small == [], f"{len(too_small)} of {len(sizes)} chart labels are drawn under 10.5 px: {too_small[:3]}"


def test_the_revenue_chart_starts_at_zero_after_a_refund(
    page: Any, live_server: Any, admin: User, sales: None, screenshot: Any
) -> None:
    sign_in(page, live_server, admin)
    page.goto(reverse("analytics:studio_dashboard"))
    chart = page.locator("section.chart-card", has=page.locator("#chart-revenue"))
    screenshot(page, "dashboard")

    ticks = chart.locator("svg text.chart-axis").all_text_contents()
    money = [tick for tick in ticks if "$" in tick]

    assert money[0] == "$0.00"
    assert not [tick for tick in money if "-" in tick]
    assert "total $29.00" in chart.inner_text()


def test_a_deleted_account_shows_as_deleted_in_the_studio(
    page: Any, live_server: Any, admin: User, premium_learner: User, screenshot: Any
) -> None:
    do_erase_account(premium_learner, request=None)
    sign_in(page, live_server, admin)

    page.goto(reverse("accounts:studio_user", args=[premium_learner.pk]))
    screenshot(page, "deleted-account")

    tags = page.locator(".tag").all_inner_texts()
    assert "Deleted" in tags
    assert "Premium" not in tags
