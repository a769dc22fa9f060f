"""In Chromium, an enrolled learner on a lesson page: the panels that show progress follow a
lesson marked complete without a reload, and a YouTube or Vimeo link plays in the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from momentum.learning.actions import do_enroll
from tests.e2e.test_studio_authoring import sign_in
from tests.factories import make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def enrolled(learner: Any) -> Any:
    course = make_course("Seven Days of Houseplants", category="health-wellness", duration_days=7)
    do_enroll(learner, course)
    return course


@pytest.fixture
def learner_page(page: Any, live_server: Any, learner: Any) -> Any:
    sign_in(page, live_server, learner)
    return page


def test_marking_a_day_complete_updates_the_sidebar_progress_without_a_reload(
    page: Any, live_server: Any, learner: Any, enrolled: Any, screenshot: Any
) -> None:
    sign_in(page, live_server, learner)
    page.goto(f"/courses/{enrolled.slug}/day/1/")
    outline = page.get_by_role("complementary")
    assert outline.get_by_text("0 of 7 lessons done").is_visible()
    page.evaluate("window.notReloaded = true")

    page.get_by_role("button", name="Mark day 1 complete").click()
    page.get_by_role("heading", name="Day 1 complete").wait_for()

    assert outline.get_by_text("1 of 7 lessons done").is_visible()
    assert outline.get_by_role("progressbar", name="Course progress").get_attribute("value") == "14"
    assert outline.get_by_role("link", name="Day 1: Seven Days of Houseplants: day 1 (completed)").is_visible()
    assert outline.locator("#day-badge-1").inner_text() == "✓"
    assert page.evaluate("window.notReloaded") is True  # swapped in place, not reloaded
    screenshot(page, "day-1-complete")
    assert page.js_errors == []


@pytest.mark.parametrize(
    ("link", "player"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
    ids=["youtube", "vimeo"],
)
def test_a_youtube_or_vimeo_lesson_video_plays_in_the_page(
    learner_page: Any, enrolled: Any, screenshot: Any, link: str, player: str
) -> None:
    page = learner_page
    enrolled.lessons.filter(day=2).update(video_url=link)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    response = page.goto(f"/courses/{enrolled.slug}/day/2/")

    frame = page.get_by_title("Lesson video: Seven Days of Houseplants: day 2")
    assert frame.get_attribute("src") == player
    assert frame.is_visible()
    assert page.get_by_role("link", name="Watch today's video").count() == 0  # not a link off the site
    assert (
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com"
        in response.headers["content-security-policy"]
    )
    page.wait_for_load_state("networkidle")
    assert violations == []  # the policy lets this player, and only the two players, be framed
    screenshot(page, "embedded-video")
