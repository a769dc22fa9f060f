"""In Chromium, a learner of a daily-paced course opens tomorrow's lesson: the page says when the day
opens in the learner's own time zone and how long is left, the outline marks the days not open yet,
and at midnight (the clock moved, not slept) the lesson is there."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from momentum.catalog.models import Pacing
from momentum.learning.actions import do_enroll
from momentum.lib.clock import travel_to
from tests.e2e.test_studio_authoring import sign_in
from tests.factories import make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Monday 7 December 2026, 20:00 in Kolkata (14:30 UTC); day 2 opens at 18:30 UTC
MONDAY_EVENING = datetime(2026, 12, 7, 14, 30, tzinfo=UTC)


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def test_a_locked_day_shows_when_it_opens_then_opens_at_local_midnight(
    page: Any, live_server: Any, learner: Any, screenshot: Any
) -> None:
    # given a learner in Kolkata who enrolled in a daily course this evening
    learner.timezone = "Asia/Kolkata"
    learner.save(update_fields=["timezone"])
    course = make_course("Seven Days of Breathing", category="health-wellness", duration_days=7, pacing=Pacing.DAILY)
    do_enroll(learner, course, now=MONDAY_EVENING)
    sign_in(page, live_server, learner)

    # when they open day 2 this evening
    with travel_to(MONDAY_EVENING):
        page.goto(f"/courses/{course.slug}/day/2/")
        locked = page.get_by_role("region", name="Day 2 opens Tuesday at 00:00")
        # then the page says when and how long is left, and the outline marks days 2 to 7
        assert locked.is_visible()
        assert "4\xa0hours left" in locked.inner_text()
        assert page.locator("#course-outline .outline-item.locked").count() == 6
        assert page.get_by_role("link", name="Day 2: Seven Days of Breathing: day 2 (not open yet)").is_visible()
        assert page.locator(".lesson-content").count() == 0
        screenshot(page, "locked-day")

    # when midnight has come in Kolkata
    with travel_to(datetime(2026, 12, 7, 18, 30, tzinfo=UTC)):
        page.reload()
        # then day 2 is there
        assert page.locator(".lesson-content").get_by_text("Today you practise step 2").is_visible()
        assert page.locator("#course-outline .outline-item.locked").count() == 5
    assert page.js_errors == []
