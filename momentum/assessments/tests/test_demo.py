"""The demo quizzes: every one is a valid quiz, and seeding puts them on the demo lessons once."""

from __future__ import annotations

import io
from typing import Any

import pytest

from momentum.assessments import demo
from momentum.assessments.models import Quiz
from momentum.assessments.specs import quiz_spec_problems
from tests.factories import make_course


@pytest.mark.parametrize("course", demo.demo_quizzes(), ids=lambda course: course["course"])
def test_every_demo_quiz_keeps_the_rules(course: dict[str, Any]) -> None:
    for quiz in course["quizzes"]:
        assert quiz_spec_problems(demo.spec_from(quiz)) == [], (course["course"], quiz["day"])


def test_seeding_puts_the_quizzes_on_the_demo_lessons_once(db: None, admin: Any) -> None:
    course = make_course("Python in 7 Days", duration_days=7)
    assert course.slug == "python-in-7-days"
    demo.seed(admin=admin, learner=None, stdout=io.StringIO())
    demo.seed(admin=admin, learner=None, stdout=io.StringIO())
    assert Quiz.objects.filter(lesson__course=course).count() == 7
