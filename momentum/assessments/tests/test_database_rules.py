"""The database holds the quiz rules a constraint can say, whoever writes (ORM, bulk update, raw SQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from momentum.assessments.models import Attempt, Option, Quiz

pytestmark = pytest.mark.django_db


def refused(write: Any) -> bool:
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


def test_the_pass_mark_stays_between_0_and_100(quiz: Quiz) -> None:
    assert refused(lambda: Quiz.objects.filter(pk=quiz.pk).update(pass_percent=101))
    assert refused(lambda: Quiz.objects.filter(pk=quiz.pk).update(max_attempts=0))


def test_a_question_has_at_most_six_options(quiz: Quiz) -> None:
    question = quiz.questions.get(position=0)
    assert refused(lambda: Option.objects.create(question=question, position=6, text="seventh"))
    assert refused(lambda: Option.objects.create(question=question, position=0, text="same place"))


def test_an_attempt_number_is_used_once_per_learner_and_quiz(quiz: Quiz, enrolled: Any) -> None:
    def attempt(number: int, score: int = 50) -> Any:
        return lambda: Attempt.objects.create(
            quiz=quiz, user=enrolled, number=number, score_percent=score, passed=False
        )

    assert not refused(attempt(1))
    assert refused(attempt(1))
    assert refused(attempt(2, score=101))
    assert refused(attempt(0))
