"""In Chromium, what a visitor reads about a course before enrolling: the time a day takes, from
all of its lessons; and a generated lesson, its title said once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from momentum.catalog.actions import do_upsert_lesson
from momentum.generation.providers.base import CourseBrief
from momentum.generation.providers.offline.local_text import LocalTextProvider
from tests.factories import make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def test_the_minutes_a_day_come_from_every_lesson_not_the_first(page: Any, live_server: Any, screenshot: Any) -> None:
    course = make_course("Seven Days of Bread", category="health-wellness", lesson_minutes=12)
    course.lessons.filter(day=1).update(duration_minutes=5)  # a short welcome, then longer days

    page.goto(f"/courses/{course.slug}/")

    assert page.get_by_text("about 11 minutes a day").is_visible()  # (5 + 6 * 12) / 7 = 11
    screenshot(page, "course")


def test_a_generated_lesson_says_its_title_once(page: Any, live_server: Any, screenshot: Any) -> None:
    provider = LocalTextProvider()
    brief = CourseBrief(topic="Home composting", duration_days=7, level="BEGINNER", category="Science")
    outline = provider.outline(brief).value
    draft = provider.lesson(brief, outline, 1, ()).value
    course = make_course("Home composting", category="health-wellness")
    do_upsert_lesson(course, day=1, title=draft.title, content_markdown=draft.content_markdown)

    page.goto(f"/courses/{course.slug}/day/1/")  # day 1 is a free preview

    assert page.get_by_role("heading", name=draft.title).count() == 1
    assert page.locator(".lesson-content h1").count() == 0
    screenshot(page, "lesson")
