"""In Chromium, on a phone-sized screen: a learner fails a lesson's quiz, reads why, passes it on
the second try, and the lesson is done."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from momentum.assessments.actions import do_put_quiz
from momentum.assessments.tests.factories import quiz_spec
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


def test_a_learner_fails_the_quiz_then_passes_it_and_the_lesson_is_done(
    page: Any, live_server: Any, learner: Any, screenshot: Any
) -> None:
    # given a course whose day 1 has a quiz, and a learner on a phone
    course = make_course("Seven Days of Python", duration_days=7)
    lesson = course.lessons.get(day=1)
    do_put_quiz(None, lesson, quiz_spec())
    do_enroll(learner, course)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, learner)
    page.goto(f"/courses/{course.slug}/day/1/")
    quiz = page.locator("#quiz")
    assert "correct" not in page.content().lower()

    # when the learner submits without answering the last question
    question = quiz.get_by_role("group", name="Question 1: Which keyword defines a function?")
    question.get_by_label("func").check()
    quiz.get_by_role("group", name="Question 2: Which of these are Python collections?").get_by_label("int").check()
    quiz.get_by_role("group", name="Question 3: Python indents blocks instead of using braces.").get_by_label(
        "False"
    ).check()
    quiz.get_by_role("button", name="Check my answers").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    # then an error summary links to the unanswered question
    assert summary.get_by_role("link", name="Question 4 is not answered").get_attribute("href").startswith("#answers")

    # when they answer it (wrongly) and submit
    page.get_by_label("Your answer").fill("echo")
    quiz.get_by_role("button", name="Check my answers").click()
    page.get_by_text("Not passed yet: 0 %").wait_for()
    # then the results say what was right and why
    assert page.get_by_text("Why: def is the answer.").is_visible()
    assert not LessonProgress.objects.filter(user=learner, completed=True).exists()
    screenshot(page, "failed")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")

    # when they try again with the right answers
    quiz.get_by_role("group", name="Question 1: Which keyword defines a function?").get_by_label("def").check()
    collections = quiz.get_by_role("group", name="Question 2: Which of these are Python collections?")
    collections.get_by_label("list").check()
    collections.get_by_label("dict").check()
    quiz.get_by_role("group", name="Question 3: Python indents blocks instead of using braces.").get_by_label(
        "True"
    ).check()
    page.get_by_label("Your answer").fill(" Print ")
    quiz.get_by_role("button", name="Try again").click()
    page.get_by_text("Passed: 100 %").wait_for()

    # then the lesson is done
    assert page.get_by_role("heading", name="✓ Completed").is_visible()
    assert LessonProgress.objects.get(user=learner, lesson=lesson).completed
    screenshot(page, "passed")
    assert page.js_errors == []
