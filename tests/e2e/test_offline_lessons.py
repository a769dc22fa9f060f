"""In Chromium, the installable app: the service worker keeps a lesson the learner opened readable
with the network cut, and a day marked complete offline is recorded once the network returns.
And the reminders page's subscribe control, as far as a browser with no reachable push service goes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import OperationalError

from momentum.learning import actions
from momentum.learning.actions import do_enroll
from momentum.learning.models import LessonProgress
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
    course = make_course("Seven Days of Bread", category="health-wellness", duration_days=7)
    do_enroll(learner, course)
    return course


def _controlled_lesson(page: Any, live_server: Any, learner: Any, course: Any, day: int = 1) -> None:
    """The learner opens a lesson; the service worker installs, takes the page and keeps the lesson."""
    sign_in(page, live_server, learner)
    page.goto(f"/courses/{course.slug}/day/{day}/")
    # (pwa.js marks the page's state on <html>: the CSP forbids the eval that wait_for_function needs)
    page.locator("html[data-service-worker=controlling]").wait_for(state="attached")
    page.locator(f"html[data-saved-offline='/courses/{course.slug}/day/{day}/']").wait_for(state="attached")


def _day_1_marked_offline(page: Any, live_server: Any, learner: Any, course: Any) -> None:
    """The learner opens day 1, loses the network and marks the day complete: the worker queues it."""
    _controlled_lesson(page, live_server, learner, course)
    page.context.set_offline(True)
    page.get_by_role("button", name="Mark day 1 complete").click()
    page.get_by_role("heading", name="Day 1 will be marked complete").wait_for()


def test_a_lesson_the_learner_opened_stays_readable_offline(
    page: Any, live_server: Any, learner: Any, enrolled: Any, screenshot: Any
) -> None:
    _controlled_lesson(page, live_server, learner, enrolled)

    page.context.set_offline(True)
    page.reload()

    assert page.get_by_role("heading", name="Seven Days of Bread: day 1", level=1).is_visible()
    assert page.locator(".lesson-content").inner_text().strip() != ""
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") != "inline"  # styled
    screenshot(page, "lesson-offline")


def test_a_lesson_never_opened_says_it_is_not_saved_offline(
    page: Any, live_server: Any, learner: Any, enrolled: Any
) -> None:
    _controlled_lesson(page, live_server, learner, enrolled)

    page.context.set_offline(True)
    page.goto(f"/courses/{enrolled.slug}/day/3/")

    assert page.get_by_role("heading", name="You are offline").is_visible()
    page.js_errors.clear()  # the failed navigation logs an error of its own


def test_a_day_marked_complete_offline_is_recorded_when_the_network_returns(
    page: Any, live_server: Any, learner: Any, enrolled: Any, screenshot: Any
) -> None:
    _day_1_marked_offline(page, live_server, learner, enrolled)

    screenshot(page, "marked-offline")
    assert not LessonProgress.objects.filter(user=learner, completed=True).exists()

    page.context.set_offline(False)
    # Chromium fires 'online' on the page: pwa.js asks the worker to replay the queue
    page.locator("html[data-marks-replayed='1']").wait_for(state="attached")

    progress = LessonProgress.objects.get(user=learner, lesson__day=1, lesson__course=enrolled)
    assert progress.completed is True
    page.reload()
    assert page.get_by_role("heading", name="Completed").is_visible()
    assert page.js_errors == []


def test_a_progress_put_made_offline_is_replayed_with_the_session_when_the_network_returns(
    page: Any, live_server: Any, learner: Any, enrolled: Any
) -> None:
    _controlled_lesson(page, live_server, learner, enrolled, day=2)
    lesson = enrolled.lessons.get(day=2)
    page.context.set_offline(True)

    answer = page.evaluate(
        """async (url) => {
            const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
            const response = await fetch(url, {
                method: 'PUT', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
                body: JSON.stringify({completed: true}),
            });
            return [response.status, await response.json()];
        }""",
        f"/api/v1/courses/{enrolled.pk}/lessons/{lesson.pk}/progress",
    )

    assert answer == [202, {"queued": True}]
    assert not LessonProgress.objects.filter(user=learner, lesson=lesson).exists()
    page.context.set_offline(False)
    page.locator("html[data-marks-replayed='1']").wait_for(state="attached")
    assert LessonProgress.objects.get(user=learner, lesson=lesson).completed is True


def test_a_mark_the_server_cannot_take_yet_is_sent_again_without_the_learner_reloading(
    page: Any, live_server: Any, learner: Any, enrolled: Any, monkeypatch: Any
) -> None:
    # The page's 'online' can come before the worker's network is back, or the database may be
    # restarting: either way the first replay fails, and the worker tries again by itself.
    _day_1_marked_offline(page, live_server, learner, enrolled)

    record = actions.do_record_progress
    refusals: list[str] = []

    def restarting_once(*args: Any, **kwargs: Any) -> Any:
        if not refusals:
            refusals.append("503")
            raise OperationalError("the database system is starting up")
        return record(*args, **kwargs)

    monkeypatch.setattr(actions, "do_record_progress", restarting_once)
    page.context.set_offline(False)
    page.locator("html[data-marks-replayed='1']").wait_for(state="attached")

    assert refusals == ["503"]
    assert LessonProgress.objects.get(user=learner, lesson__day=1, lesson__course=enrolled).completed is True


def test_the_subscribe_control_asks_the_browser_and_says_when_no_push_service_answers(
    chromium: Any, live_server: Any, learner: Any, screenshot: Any
) -> None:
    # Chromium's push service (FCM) is not reachable from here: the browser grants permission but
    # cannot subscribe. That it says so is what this test shows; delivery is tested against a local
    # push service in momentum/webpush/tests/.
    context = chromium.new_context(base_url=live_server.url)
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    sign_in(page, live_server, learner)
    page.goto("/profile/push/")
    page.locator("html[data-service-worker]").wait_for(state="attached")

    page.get_by_role("button", name="Turn on push reminders").click()

    status = page.locator("[data-push-status]")
    page.locator("[data-push-control][data-state=failed]").wait_for(state="attached")
    assert "could not reach its push service" in status.inner_text()
    screenshot(page, "subscribe-without-push-service")
