"""In Chromium: an admin opens a generated draft, is told it cannot be published before review,
works through the review checklist (marking days reviewed, editing one lesson), and publishes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from momentum.accounts.models import User
from momentum.assessments.models import Quiz
from momentum.catalog.models import Course, Status
from momentum.catalog.tests.authoring import generated_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Draft generated offline by Momentum's local generator. Review, correct and extend it before publishing."


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def sign_in(page: Any, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


# live_server first: the test database must exist before Playwright starts its event loop.
def test_an_admin_reviews_a_generated_draft_with_the_checklist_then_publishes(
    live_server, admin, page, screenshot
) -> None:
    course = generated_course(with_quizzes=True, review_note=NOTE)
    sign_in(page, live_server, admin)

    # Publishing the untouched draft is refused, naming the days, with a way to the checklist
    page.goto(f"{live_server.url}/studio/courses/{course.pk}/")
    page.get_by_text("Note for reviewers").wait_for()
    page.get_by_role("button", name="Publish").click()
    page.locator("#publish-error").get_by_text("1, 2, 3, 4, 5, 6, 7").wait_for()
    page.get_by_role("link", name="open the review checklist").click()

    # The checklist: each day's lesson and quiz, needing review
    checklist = page.locator("#review-checklist")
    checklist.wait_for()
    assert checklist.locator("tbody tr").count() == 7
    assert checklist.get_by_text("Needs review").count() == 14
    screenshot(page, "checklist-before")

    # Days 1-6 marked reviewed from the checklist (by keyboard for the first)
    page.get_by_role("button", name="Mark day 1 reviewed").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Day 1 is reviewed.").wait_for()
    for day in range(2, 7):
        page.get_by_role("button", name=f"Mark day {day} reviewed").click()
        page.get_by_text(f"Day {day} is reviewed.").wait_for()
    page.get_by_text("Day 7 still needs a review").wait_for()

    # Day 7 reviewed by editing its lesson in the editor
    page.locator("#review-day-7").get_by_role("link", name="Day 7: cuts").click()
    page.locator("#lesson-needs-review").wait_for()
    page.get_by_label("Title").fill("Day 7: the julienne")
    page.get_by_role("button", name="Save day 7").click()
    page.get_by_text("Day 7 saved").wait_for()
    page.goto(f"{live_server.url}/studio/courses/{course.pk}/review/")
    page.get_by_text("Every lesson and quiz is reviewed.").wait_for()
    assert page.get_by_role("button", name="Mark day 7 reviewed").count() == 0
    assert not Quiz.objects.filter(lesson__course=course, needs_review=True).exists()
    screenshot(page, "checklist-after")

    # And now it publishes
    page.goto(f"{live_server.url}/studio/courses/{course.pk}/")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("is published").wait_for()
    assert Course.objects.get(pk=course.pk).status == Status.PUBLISHED
    # the refused publish answered 409, which Chromium logs; nothing else went wrong
    assert [error for error in page.js_errors if "status of 409" not in error] == []
