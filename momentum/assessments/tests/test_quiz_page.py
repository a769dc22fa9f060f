"""The quiz under the lesson, without JavaScript: a plain form, a redirect, the results on the lesson page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from momentum.assessments.models import Quiz
from momentum.assessments.queries import shuffled_options
from momentum.assessments.tests.conftest import right_answers, wrong_answers
from momentum.catalog.models import Course, Lesson
from momentum.learning.actions import do_enroll
from momentum.learning.models import LessonProgress
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(enrolled: Any) -> Client:
    client = Client()
    client.force_login(enrolled)
    return client


def form(answers: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for answer in answers:
        data[f"q{answer['question_id']}"] = answer.get("option_ids") or answer.get("text")
    return data


def test_the_lesson_page_shows_the_quiz_without_its_key(
    browser: Client, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    html = browser.get(f"/courses/{course.slug}/day/2/").content.decode()
    assert "<legend>Question 1: Which keyword defines a function?</legend>" in html
    assert "Pass the quiz to complete day 2" in html
    assert "right answer" not in html
    assert "def is the answer" not in html  # the explanation comes with the results
    assert "correct" not in html.lower()


def test_a_failed_attempt_redirects_to_the_lesson_with_the_explanations(
    browser: Client, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    response = browser.post(f"/courses/{course.slug}/day/2/quiz/", form(wrong_answers(quiz)))
    assert response.status_code == 302
    assert response["Location"] == f"/courses/{course.slug}/day/2/#quiz"
    html = browser.get(response["Location"]).content.decode()
    assert "Not passed yet: 0 %" in html
    assert "Why: def is the answer." in html
    assert "Try again" in html
    assert not LessonProgress.objects.filter(user=enrolled, completed=True).exists()


def test_passing_on_the_page_completes_the_lesson(
    browser: Client, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    browser.post(f"/courses/{course.slug}/day/2/quiz/", form(right_answers(quiz)))
    html = browser.get(f"/courses/{course.slug}/day/2/").content.decode()
    assert "Passed: 100 %" in html
    assert "✓ Completed" in html
    assert LessonProgress.objects.get(user=enrolled, lesson=lesson).completed


def test_unanswered_questions_come_back_with_an_error_summary_linking_to_them(
    browser: Client, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    answers = right_answers(quiz)
    response = browser.post(f"/courses/{course.slug}/day/2/quiz/", form(answers[:2]))
    assert response.status_code == 422
    html = response.content.decode()
    third = answers[2]["question_id"]
    assert f'<a href="#answers{third}">Question 3 is not answered</a>' in html
    assert f'id="answers{third}" aria-invalid="true"' in html
    chosen = answers[0]["option_ids"][0]
    assert f'value="{chosen}" checked' in html  # what was chosen stays chosen


def test_a_typed_answer_stays_typed_when_another_question_is_left_unanswered(
    browser: Client, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    answers = right_answers(quiz)
    typed = next(answer for answer in answers if "text" in answer)

    html = browser.post(f"/courses/{course.slug}/day/2/quiz/", form([typed])).content.decode()

    question, text = typed["question_id"], typed["text"]
    assert f'name="q{question}" maxlength="500" autocomplete="off" value="{text}"' in html
    assert html.count(" checked") == 0


def test_with_htmx_only_the_quiz_panel_comes_back(browser: Client, course: Course, lesson: Lesson, quiz: Quiz) -> None:
    response = browser.post(f"/courses/{course.slug}/day/2/quiz/", form(wrong_answers(quiz)), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section class="quiz card" id="quiz"')
    assert "Not passed yet" in html


def test_each_learner_sees_the_options_in_their_own_order_from_the_shared_form(
    browser: Client, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    other = make_user("other@example.com")
    do_enroll(other, course)
    second = Client()
    second.force_login(other)
    first_page = browser.get(f"/courses/{course.slug}/day/2/").content.decode()  # renders the shared form
    second_page = second.get(f"/courses/{course.slug}/day/2/").content.decode()  # put together from it

    for user, page in ((enrolled, first_page), (other, second_page)):
        for question in quiz.questions.prefetch_related("options"):
            if question.kind == "short_text":
                continue
            order = [option.id for option in shuffled_options(user, question)]
            shown = [int(found) for found in re.findall(rf'name="q{question.pk}" value="(\d+)"', page)]
            assert shown == order
