"""In Chromium, by keyboard only: an admin writes a lesson's quiz in the studio, adding a question
and an option, sees the learner's preview, and saves it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from momentum.assessments.models import Quiz
from tests.e2e.test_studio_authoring import sign_in
from tests.factories import make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def test_an_admin_writes_a_quiz_by_keyboard_and_previews_it(
    page: Any, live_server: Any, admin: Any, screenshot: Any
) -> None:
    course = make_course("Seven Days of Python", duration_days=7)
    sign_in(page, live_server, admin)
    page.goto(f"/studio/courses/{course.pk}/")
    page.get_by_role("link", name="Quiz for day 1").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Quiz for day 1").wait_for()

    page.get_by_label("Question", exact=True).focus()
    page.keyboard.type("Which keyword defines a function?")
    page.keyboard.press("Tab")  # to option 1
    page.keyboard.type("def")
    page.keyboard.press("Tab")  # its "Right answer" box
    page.keyboard.press("Space")
    page.get_by_role("textbox", name="Option 2 of question 1").focus()
    page.keyboard.type("func")
    page.get_by_role("button", name="Add an option to question 1").focus()
    page.keyboard.press("Enter")
    page.get_by_role("textbox", name="Option 3 of question 1").wait_for()
    page.get_by_role("textbox", name="Option 3 of question 1").focus()
    page.keyboard.type("lambda")
    page.get_by_role("button", name="Update the preview").focus()
    page.keyboard.press("Enter")

    preview = page.get_by_role("region", name="Preview: what the learner sees")
    preview.get_by_role("group", name="Question 1: Which keyword defines a function?").wait_for()
    assert preview.get_by_text("lambda").is_visible()
    page.get_by_role("button", name="Save the quiz").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Day 1's quiz saved (1 question).").wait_for()

    quiz = Quiz.objects.get(lesson__course=course, lesson__day=1)
    options = quiz.questions.get().options.all()
    assert [(o.text, o.is_correct) for o in options] == [("def", True), ("func", False), ("lambda", False)]
    screenshot(page, "saved")
    assert page.js_errors == []
