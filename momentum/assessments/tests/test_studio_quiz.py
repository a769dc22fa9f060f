"""The studio's quiz editor beside the lesson (works as plain form posts) and the question report page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from momentum.assessments.models import Quiz
from momentum.catalog.models import Course, Lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(admin: Any) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def editor(course: Course, day: int = 2) -> str:
    return f"/studio/courses/{course.pk}/days/{day}/quiz/"


ONE_QUESTION = {
    "pass_percent": "70", "max_attempts": "", "questions": "1",
    "q0-kind": "single", "q0-prompt": "Which keyword defines a function?", "q0-explanation": "def starts one.",
    "q0-options": "2", "q0-o0-text": "def", "q0-o0-correct": "on", "q0-o1-text": "func",
}  # fmt: skip


def test_an_admin_writes_a_quiz_beside_the_lesson(studio: Client, course: Course, lesson: Lesson) -> None:
    response = studio.post(editor(course), {**ONE_QUESTION, "edit": "save"})
    assert response.status_code == 302
    quiz = Quiz.objects.get(lesson=lesson)
    assert [(o.text, o.is_correct) for o in quiz.questions.get().options.all()] == [("def", True), ("func", False)]
    html = studio.get(editor(course)).content.decode()
    assert 'value="def"' in html
    assert "Preview: what the learner sees" in html


def test_the_editor_adds_and_removes_questions_and_options_without_saving(
    studio: Client, course: Course, lesson: Lesson
) -> None:
    html = studio.post(editor(course), {**ONE_QUESTION, "edit": "add-option:0"}).content.decode()
    assert 'id="q0-o2-text"' in html
    html = studio.post(editor(course), {**ONE_QUESTION, "edit": "add-question"}).content.decode()
    assert "<legend>Question 2</legend>" in html
    html = studio.post(editor(course), {**ONE_QUESTION, "edit": "remove-option:0:1"}).content.decode()
    assert 'id="q0-o1-text"' not in html
    assert not Quiz.objects.exists()


def test_a_broken_quiz_is_not_saved_and_the_problem_names_the_question(
    studio: Client, course: Course, lesson: Lesson
) -> None:
    response = studio.post(editor(course), {**ONE_QUESTION, "q0-o1-correct": "on", "edit": "save"})
    assert response.status_code == 422
    assert "Question 1: a single-choice question needs exactly one right option" in response.content.decode()
    assert not Quiz.objects.exists()


def test_a_learner_cannot_open_the_quiz_editor(learner: Any, course: Course, lesson: Lesson) -> None:
    client = Client()
    client.force_login(learner)
    assert client.get(editor(course)).status_code == 403


def test_the_question_report_lists_every_question_with_its_figures(studio: Client, course: Course, quiz: Quiz) -> None:
    html = studio.get(f"/studio/courses/{course.pk}/quiz-report/").content.decode()
    assert "0 of 4 questions flagged." in html
    assert "1. Which keyword defines a function?" in html
