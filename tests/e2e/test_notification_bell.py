"""In Chromium, a learner with unread notices sees the count on the header's bell, opens the list,
marks every notice read (htmx swaps the list and the bell) and the count is gone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from momentum.accounts.actions import do_notify
from momentum.accounts.models import NotificationKind
from tests.e2e.test_studio_authoring import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def test_the_bell_counts_unread_notices_and_mark_all_read_clears_it(
    page: Any, live_server: Any, learner: Any, screenshot: Any
) -> None:
    # given a learner with three unread notices
    do_notify(learner, kind=NotificationKind.BADGE_AWARDED, title="You earned a badge: First step", url="/dashboard/")
    do_notify(learner, kind=NotificationKind.COURSE_COMPLETED, title="You finished Sleep better", url="/dashboard/")
    do_notify(learner, kind=NotificationKind.STREAK_AT_RISK, title="Your 5-day streak is at risk", url="/dashboard/")
    sign_in(page, live_server, learner)

    # when they look at the header
    page.goto("/dashboard/")
    bell = page.get_by_role("link", name="Notifications, 3 unread")
    assert bell.is_visible()
    assert bell.locator("[data-unread-count]").inner_text() == "3"
    screenshot(page, "bell-with-count", full_page=False)

    # and open the list
    bell.click()
    page.wait_for_url("**/notifications/")
    assert page.locator(".notice.unread").count() == 3
    assert page.locator(".notice h2").first.inner_text().endswith("Your 5-day streak is at risk")
    screenshot(page, "notifications-unread")

    # then marking all read clears the list's marks and the bell, without a page load
    page.get_by_role("button", name="Mark all read").click()
    page.locator(".notice.unread").first.wait_for(state="detached")
    assert page.locator(".notice.unread").count() == 0
    assert page.get_by_role("link", name="Notifications", exact=True).is_visible()
    assert page.locator("[data-unread-count]").count() == 0
    screenshot(page, "notifications-read")
    page.reload()
    assert page.get_by_role("link", name="Notifications", exact=True).is_visible()
    assert page.js_errors == []
