"""Putting a quiz on a lesson: replaced whole, refused when broken, audited, reviewable."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.assessments.actions import InvalidQuiz, do_mark_quiz_reviewed, do_put_quiz
from momentum.assessments.models import Option, Quiz
from momentum.assessments.queries import lesson_quiz_passed, lessons_with_unreviewed_quiz
from momentum.assessments.specs import QuizSpec
from momentum.assessments.tests.factories import quiz_spec, short_text, single
from momentum.audit.models import AuditLog
from momentum.catalog.models import Course


def test_putting_a_quiz_stores_its_questions_and_options_in_order(admin: Any, course: Course) -> None:
    lesson = course.lessons.get(day=1)
    quiz = do_put_quiz(admin, lesson, quiz_spec())
    assert [q.kind for q in quiz.questions.all()] == ["single", "multiple", "true_false", "short_text"]
    assert [o.text for o in quiz.questions.get(position=0).options.all()] == ["def", "func", "lambda x"]
    assert AuditLog.objects.filter(action="quiz.created", resource_id=str(quiz.pk)).exists()


def test_putting_a_quiz_again_replaces_the_questions(admin: Any, course: Course) -> None:
    lesson = course.lessons.get(day=1)
    first = do_put_quiz(admin, lesson, quiz_spec())
    second = do_put_quiz(admin, lesson, QuizSpec(questions=(short_text(),), pass_percent=50))
    assert second.pk == first.pk
    assert second.pass_percent == 50
    assert [q.kind for q in second.questions.all()] == ["short_text"]
    assert Option.objects.filter(question__quiz=second).count() == 0


def test_a_broken_quiz_is_refused_and_nothing_is_saved(admin: Any, course: Course) -> None:
    lesson = course.lessons.get(day=1)
    with pytest.raises(InvalidQuiz) as refused:
        do_put_quiz(admin, lesson, QuizSpec(questions=(single(), single("Two?", "a", "a"))))
    assert refused.value.problems == ["Question 2: two options say the same thing"]
    assert not Quiz.objects.exists()


def test_a_generated_quiz_needs_review_until_someone_marks_it_reviewed(admin: Any, course: Course) -> None:
    do_put_quiz(None, course.lessons.get(day=2), quiz_spec(), needs_review=True)
    do_put_quiz(None, course.lessons.get(day=4), quiz_spec(), needs_review=True)
    assert lessons_with_unreviewed_quiz(course) == [2, 4]
    do_mark_quiz_reviewed(admin, course.lessons.get(day=2))
    assert lessons_with_unreviewed_quiz(course) == [4]
    assert AuditLog.objects.filter(action="quiz.reviewed").count() == 1


def test_a_lesson_without_a_quiz_counts_as_passed(learner: Any, admin: Any, course: Course) -> None:
    assert lesson_quiz_passed(learner, course.lessons.get(day=1))
    do_put_quiz(admin, course.lessons.get(day=1), quiz_spec())
    assert not lesson_quiz_passed(learner, course.lessons.get(day=1))
