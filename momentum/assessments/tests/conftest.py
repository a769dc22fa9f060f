"""Fixtures of the quiz tests: a published 7-day course whose day 1 and day 2 have a quiz."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.assessments.actions import do_put_quiz
from momentum.assessments.models import Quiz
from momentum.assessments.tests.factories import quiz_spec
from momentum.catalog.models import Course, Lesson
from momentum.learning.actions import do_enroll
from tests.factories import make_course


@pytest.fixture
def course(db: None) -> Course:
    return make_course("Seven days of Python", duration_days=7)


@pytest.fixture
def lesson(course: Course) -> Lesson:
    return course.lessons.get(day=2)


@pytest.fixture
def quiz(admin: Any, lesson: Lesson) -> Quiz:
    return do_put_quiz(admin, lesson, quiz_spec())


@pytest.fixture
def enrolled(learner: Any, course: Course) -> Any:
    do_enroll(learner, course)
    return learner


def right_answers(quiz: Quiz) -> list[dict[str, Any]]:
    answers = []
    for question in quiz.questions.prefetch_related("options"):
        if question.kind == "short_text":
            answers.append({"question_id": question.pk, "text": f"  {question.accepted_answers[0].upper()} "})
        else:
            right = [option.pk for option in question.options.all() if option.is_correct]
            answers.append({"question_id": question.pk, "option_ids": right})
    return answers


def wrong_answers(quiz: Quiz) -> list[dict[str, Any]]:
    answers = []
    for question in quiz.questions.prefetch_related("options"):
        if question.kind == "short_text":
            answers.append({"question_id": question.pk, "text": "echo"})
        else:
            wrong = [option.pk for option in question.options.all() if not option.is_correct][:1]
            answers.append({"question_id": question.pk, "option_ids": wrong})
    return answers
