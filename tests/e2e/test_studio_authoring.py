"""In Chromium: an admin writes a 7-day course in the studio, is told why it cannot be published
with a day missing, completes and publishes it, finds it in the public catalogue, then changes
a learner's role and sees the change in the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from momentum.accounts.models import Role, User
from momentum.catalog.models import Course, Status

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]

TITLE = "Seven Days of Watercolour"
LESSONS = {
    1: "Paper, brushes and a palette",
    2: "Wet on wet",
    3: "Wet on dry",
    4: "Layering glazes",
    5: "Lifting and softening",
    6: "Skies in ten minutes",
    7: "A small landscape, start to finish",
}


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    # Playwright's sync API keeps an event loop running in this thread; the test (and the database
    # fixtures around it) still use the ORM between browser steps, which Django otherwise refuses.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def sign_in(page: Any, live_server: Any, user: User) -> None:
    """The browser carries the admin's session (signing in itself is tested with the accounts)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def write_day(page: Any, day: int) -> None:
    page.get_by_role("link", name=f"Write day {day}").click()
    page.get_by_label("Title").fill(LESSONS[day])
    markdown = f"## {LESSONS[day]}\n\nToday you paint **one** small study.\n\n- Mix\n- Paint\n- Let it dry"
    page.get_by_label("Lesson (Markdown)").fill(markdown)
    # The live preview renders the sanitised Markdown as it is typed.
    page.locator("#lesson-preview h2").filter(has_text=LESSONS[day]).wait_for()
    assert page.locator("#lesson-preview strong").inner_text() == "one"
    if day == 1:
        page.get_by_label("Free preview: anyone may open this lesson without enrolling").check()
    page.get_by_role("button", name=f"Save day {day}").click()
    page.get_by_text(f"Day {day} saved").wait_for()


# live_server first: the test database must exist before Playwright starts its event loop.
def test_an_admin_authors_publishes_and_audits_in_the_studio(live_server, admin, learner, page, screenshot) -> None:
    sign_in(page, live_server, admin)

    # A new draft course
    page.goto(f"{live_server.url}/studio/courses/")
    page.get_by_role("link", name="New course").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill("Loosen up with one small painting a day.")
    page.get_by_label("Category").select_option("creative-arts")
    page.get_by_label("Length").select_option("7")
    page.get_by_role("button", name="Create draft").click()
    page.get_by_text("Draft “Seven Days of Watercolour” created").wait_for()
    course = Course.objects.get(title=TITLE)
    assert page.locator(".studio-day.missing").count() == 7

    # Every lesson but day 4, in the editor
    for day in (1, 2, 3, 5, 6, 7):
        write_day(page, day)
    screenshot(page, "course-editor-day-4-missing")
    assert page.locator(".studio-day.missing").count() == 1
    assert page.locator("#day-4").get_by_text("Missing").is_visible()

    # Publishing is refused, and the page says why
    page.get_by_role("button", name="Publish", exact=True).click()
    refusal = page.locator("#publish-error")
    refusal.wait_for()
    assert "Not published." in refusal.inner_text()
    assert "day 4 is missing" in refusal.inner_text()
    course.refresh_from_db()
    assert course.status == Status.DRAFT
    screenshot(page, "publish-refused")

    # The missing day, then publishing succeeds
    write_day(page, 4)
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("is published").wait_for()
    course.refresh_from_db()
    assert course.status == Status.PUBLISHED
    assert course.lessons.count() == 7
    screenshot(page, "published")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "published-375")
    page.set_viewport_size({"width": 1280, "height": 900})

    # In the public catalogue
    page.goto(f"{live_server.url}{reverse('catalog:list')}")
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("heading", name=TITLE).wait_for()
    assert page.get_by_text(LESSONS[7]).is_visible()

    # A learner's role, changed, then found in the audit trail
    page.goto(f"{live_server.url}/studio/users/?q=lee.learner")
    page.get_by_role("link", name="Lee Learner").click()
    page.get_by_label("Role", exact=True).select_option("PREMIUM")
    page.get_by_role("button", name="Change role").click()
    page.get_by_text("Lee Learner is now premium learner.").wait_for()
    learner.refresh_from_db()
    assert learner.role == Role.PREMIUM
    trail = page.locator("table.audit-trail")
    assert "account.role_changed" in trail.inner_text()
    assert "from: FREE; to: PREMIUM" in trail.inner_text()
    screenshot(page, "user-role-changed")
    try:
        reverse("audit:studio_audit")
    except NoReverseMatch:  # the audit-log page comes with the identity work
        pass
    else:
        page.get_by_role("link", name="Open in the audit log").click()
        page.locator("table").get_by_text("account.role_changed").first.wait_for()
        screenshot(page, "audit-log")

    # The refused publication answers 409, which Chromium logs; nothing else may have gone wrong.
    assert [error for error in page.js_errors if "status of 409" not in error] == []
