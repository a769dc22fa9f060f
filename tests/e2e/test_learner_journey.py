"""A new learner, in Chromium, from the home page to a finished 7-day course and its badge.

Home → search → course page → sign up → verify the email (the link in the .eml file) → enrol →
each of the seven lessons (the video plays, and seeks: Range requests answered 206) → marked
complete → course finished → the badge on the dashboard. Every page is saved as a screenshot
at 1280 px and at 375 px under var/test-artifacts/<test name>/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files import File

from momentum.learning.tests.conftest import mp4  # noqa: F401  (the ffmpeg-made video fixture)
from tests.factories import make_course

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]

EMAIL = "nova.newcomer@example.com"
PASSWORD = "Daily-lessons-2026!"
WIDTHS = (1280, 375)


@pytest.fixture
def photography(mp4: Path) -> Any:  # noqa: F811
    make_course("Cooking basics", description="Knife skills and a good soup.", category="health-wellness")
    course = make_course(
        "Seven Days of Street Photography",
        description="Go out with a camera for ten minutes a day and come back with better pictures.",
        category="creative-arts",
        duration_days=7,
        lesson_minutes=8,
    )
    for lesson in course.lessons.all():
        with mp4.open("rb") as handle:
            lesson.video.save(f"day-{lesson.day}.mp4", File(handle), save=True)
    return course


def test_a_new_learner_finishes_a_seven_day_course_and_sees_the_badge(
    page: Any, screenshot: Any, settings: Any, mail_dir: Path, photography: Any
) -> None:
    settings.EMAIL_BACKEND = "momentum.lib.mailfiles.EmlFileBackend"
    media: list[tuple[str, int, str]] = []
    everything: list[tuple[str, int, str]] = []
    page.on("response", lambda r: everything.append((r.url, r.status, "")))
    page.on(
        "response",
        lambda r: media.append((r.url, r.status, r.request.headers.get("range", ""))) if "/video" in r.url else None,
    )

    def shoot(name: str) -> None:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_load_state("networkidle")
            screenshot(page, f"{name}-{width}")
        page.set_viewport_size({"width": 1280, "height": 900})

    # The home page, then a search from its search box.
    page.goto("/")
    assert page.get_by_role("heading", name="Learn something new, one short lesson a day.").is_visible()
    shoot("01-home")
    page.get_by_label("Search courses").fill("photography")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/courses/\?q=photography"))
    cards = page.locator("#results .course-card")
    assert cards.count() == 1
    assert "Seven Days of Street Photography" in cards.first.inner_text()
    shoot("02-search")

    # The course page: outline, free preview, and the call to sign up.
    cards.first.click()
    page.wait_for_url(f"**/courses/{photography.slug}/")
    assert page.locator(".outline-item").count() == 7
    shoot("03-course-anonymous")

    # A locked lesson shows the outline and the call to action, not the lesson.
    page.goto(f"/courses/{photography.slug}/day/2/")
    assert page.get_by_role("heading", name="Sign in to open this lesson").is_visible()
    assert page.locator("video").count() == 0
    shoot("04-lesson-locked")

    # Sign up through the account pages.
    page.goto(f"/courses/{photography.slug}/")
    page.get_by_role("link", name="Sign up to enrol, free").click()
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    shoot("05-sign-up")
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")

    # Sign-up answers alike for a new and a registered address (no account enumeration): it asks
    # to verify the address, and the link in the email signs the new learner in.
    page.wait_for_url("**/accounts/confirm-email/")
    shoot("06-verify-your-address")

    # Verify through the link in the email.
    [message] = [path.read_text() for path in mail_dir.glob("*.eml")]
    link = re.search(r"https?://\S+/accounts/confirm-email/[^\s/]+/", message)
    assert link is not None, message
    page.goto(link.group(0))
    shoot("07-confirm-email")
    # (the answer to the confirmation is awaited: going on at once would abandon it unsent)
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()

    # Enrol: the first lesson opens.
    page.goto(f"/courses/{photography.slug}/")
    shoot("08-course-ready-to-enrol")
    page.get_by_role("button", name="Enrol for free").click()
    page.wait_for_url(f"**/courses/{photography.slug}/day/1/")

    for day in range(1, 8):
        assert page.get_by_role("heading", name=f"Seven Days of Street Photography: day {day}").is_visible()
        # the video plays ...
        page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
        # (waited for with an event, not wait_for_function: the CSP forbids evaluating strings)
        page.evaluate(
            "() => new Promise((done, fail) => { const v = document.querySelector('video');"
            " const check = () => { if (v.currentTime > 0.3) done(); };"
            " v.addEventListener('timeupdate', check); check();"
            " setTimeout(() => fail(new Error('the video did not play')), 15000); })"
        )
        # ... and seeks: the player jumps ahead, and the server answers byte ranges with 206
        page.evaluate(
            "() => new Promise(done => { const v = document.querySelector('video');"
            " v.addEventListener('seeked', done, {once: true}); v.currentTime = 4.5; })"
        )
        assert page.evaluate("document.querySelector('video').currentTime") >= 4.5
        status = page.evaluate(
            "async () => (await fetch(document.querySelector('video').currentSrc,"
            " {headers: {Range: 'bytes=1000-1999'}})).status"
        )
        assert status == 206
        page.evaluate("document.querySelector('video').pause()")
        shoot(f"09-lesson-day-{day}")
        # mark it complete (htmx swaps the panel)
        page.get_by_role("button", name=f"Mark day {day} complete").click()
        if day < 7:
            page.get_by_role("heading", name=f"Day {day} complete").wait_for()
            if day == 1:
                assert page.get_by_text("Badge earned: First step").is_visible()
            page.get_by_role("link", name=f"Go to day {day + 1}").click()
            page.wait_for_url(f"**/courses/{photography.slug}/day/{day + 1}/")

    page.get_by_role("heading", name="You finished Seven Days of Street Photography!").wait_for()
    assert page.get_by_text("Badge earned: Course finisher").is_visible()
    shoot("10-course-finished")

    # The dashboard shows the finished course and the badge.
    page.get_by_role("link", name="Your dashboard").click()
    page.wait_for_url("**/dashboard/")
    finisher = page.locator(".badge-tile.earned", has_text="Course finisher")
    assert finisher.is_visible()
    assert page.locator(".enrolled-card", has_text="Completed").count() == 1
    shoot("11-dashboard")
    page.get_by_role("link", name="Your learning analytics").click()
    page.wait_for_url("**/dashboard/analytics/")
    assert page.locator("svg.chart").count() == 4
    shoot("12-analytics")
    page.goto(f"/courses/{photography.slug}/")
    assert page.get_by_text("Completed").first.is_visible()
    shoot("13-course-completed")

    # The player's requests: every video request was a range request answered 206.
    video_requests = [(status, header) for url, status, header in media if "/video" in url]
    assert video_requests
    assert all(status == 206 for status, header in video_requests if header), video_requests
    # No script error; no failed resource (the browser's own /favicon.ico request on the account
    # pages, which do not link the site's icon, is not a page resource and is left out).
    assert [error for error in page.js_errors if not error.startswith("Failed to load resource")] == []
    assert [url for url, status, _ in everything if status >= 400] == []
