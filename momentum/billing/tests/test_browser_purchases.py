"""In Chromium, sandbox mode: buying a premium course enrols the buyer; the premium plan turns a FREE
learner PREMIUM, whose first click on Enrol enrols them, and cancelling it turns them back when the
paid period ends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from momentum.accounts.models import Role, User
from momentum.billing.queries import has_premium_access
from momentum.catalog.models import Course, Lesson
from momentum.learning.models import Enrollment

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]


def sign_in(tab: Any, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    tab.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


@pytest.fixture
def no_script_tab(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A tab with JavaScript off: the whole purchase must work without it."""
    context = chromium.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 375, "height": 812}
    )
    yield context.new_page()
    context.close()


def test_a_learner_buys_a_premium_course_in_sandbox_mode_and_gets_access(
    no_script_tab: Any, live_server: Any, learner: User, premium_course: Course, screenshot: Any
) -> None:
    tab = no_script_tab
    # The course has a lesson a day (day 1 a preview): give the first two their titles
    Lesson.objects.filter(course=premium_course, day=1).update(title="Know your walk-away point", is_preview=True)
    Lesson.objects.filter(course=premium_course, day=2).update(title="Anchors and first offers",
                          content_markdown="Make the **first offer** when you know the market.")  # fmt: skip
    sign_in(tab, live_server, learner)

    # The course page offers the purchase; the lessons beyond the preview are locked
    tab.goto(f"/courses/{premium_course.slug}/day/2/")
    expect(tab.get_by_text("Make the first offer")).to_have_count(0)
    tab.goto(f"/courses/{premium_course.slug}/")
    tab.get_by_role("link", name="Buy this course").click()
    expect(tab.get_by_role("heading", name=premium_course.title)).to_be_visible()
    screenshot(tab, "checkout-375")
    tab.get_by_role("button", name="Continue to payment").click()

    expect(tab.get_by_role("heading", name="Sandbox payment page")).to_be_visible()
    expect(tab.get_by_role("note", name="Test mode")).to_contain_text("TEST MODE")
    screenshot(tab, "sandbox-375")
    assert not has_premium_access(learner, premium_course)
    tab.get_by_role("button", name="Pay $39.00 (test)").click()

    expect(tab.get_by_role("heading", name=f"You now have access to {premium_course.title}")).to_be_visible()
    screenshot(tab, "success-375")
    assert has_premium_access(learner, premium_course)
    tab.get_by_role("link", name="Go to the course").click()
    expect(tab.get_by_role("heading", name=premium_course.title, level=1)).to_be_visible()

    # ... where the purchase has enrolled the learner: no second question, straight on to the lessons
    expect(tab.get_by_role("button", name="Enrol: included in your access")).to_have_count(0)
    expect(tab.get_by_role("link", name="Continue: day 1")).to_be_visible()
    screenshot(tab, "course-after-purchase-375")
    tab.goto(f"/courses/{premium_course.slug}/day/2/")
    expect(tab.get_by_text("Make the first offer")).to_be_visible()
    screenshot(tab, "premium-lesson-375")


def test_a_premium_plan_makes_a_free_learner_premium_and_cancelling_makes_them_free_again(
    *, page: Any, chromium: Any, live_server: Any, learner: User, admin: User, screenshot: Any
) -> None:
    sign_in(page, live_server, learner)
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto("/profile/payments/")
    page.get_by_role("link", name="Go premium").click()
    screenshot(page, "plan-checkout-1280")
    page.get_by_role("button", name="Continue to payment").click()
    screenshot(page, "sandbox-1280")
    page.get_by_role("button", name="Pay $9.00 (test)").click()

    expect(page.get_by_role("heading", name="You are premium")).to_be_visible()
    screenshot(page, "success-1280")
    learner.refresh_from_db()
    assert learner.role == Role.PREMIUM

    page.get_by_role("link", name="Manage your plan").click()
    page.get_by_role("button", name="Cancel plan").click()
    expect(page.get_by_text("Your plan is cancelled")).to_have_count(2)  # the message and the plan card
    screenshot(page, "history-cancelled-1280")
    learner.refresh_from_db()
    assert learner.role == Role.PREMIUM  # until the paid period ends

    studio = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    admin_tab = studio.new_page()
    sign_in(admin_tab, live_server, admin)
    admin_tab.goto("/studio/payments/")
    screenshot(admin_tab, "studio-1280")
    admin_tab.get_by_role("button", name="Reach period end").click()
    expect(admin_tab.get_by_text("The period ended: the plan is over.")).to_be_visible()
    admin_tab.set_viewport_size({"width": 375, "height": 812})
    screenshot(admin_tab, "studio-375")
    studio.close()

    learner.refresh_from_db()
    assert learner.role == Role.FREE
    page.reload()
    expect(page.get_by_role("link", name="Go premium")).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 812})
    screenshot(page, "history-ended-375")
    assert page.js_errors == []


def test_a_premium_learner_is_enrolled_in_a_premium_course_by_the_first_click(
    no_script_tab: Any, live_server: Any, premium_learner: User, premium_course: Course, screenshot: Any
) -> None:
    tab = no_script_tab
    Lesson.objects.filter(course=premium_course, day=1).update(title="Know your walk-away point")
    sign_in(tab, live_server, premium_learner)

    tab.goto(f"/courses/{premium_course.slug}/")
    expect(tab.get_by_role("link", name="Buy this course")).to_have_count(0)
    tab.get_by_role("button", name="Enrol: included in your access").click()

    expect(tab.get_by_role("heading", name="Know your walk-away point")).to_be_visible()
    assert Enrollment.objects.filter(user=premium_learner, course=premium_course).count() == 1
    tab.goto(f"/courses/{premium_course.slug}/")
    expect(tab.get_by_role("link", name="Continue: day 1")).to_be_visible()
    screenshot(tab, "premium-enrolled-375")
