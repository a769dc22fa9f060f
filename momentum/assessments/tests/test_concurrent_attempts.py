"""Submissions that race: the attempt limit and the attempt numbering hold with real threads."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from momentum.assessments.actions import do_put_quiz
from momentum.assessments.models import Attempt
from momentum.assessments.tests.conftest import wrong_answers
from momentum.assessments.tests.factories import quiz_spec
from momentum.learning.actions import do_enroll
from tests.factories import make_course


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_never_pass_the_attempt_limit(api_as: Any, learner: Any) -> None:
    # given a quiz that allows two attempts
    course = make_course("Racing quizzes", duration_days=7)
    lesson = course.lessons.get(day=1)
    quiz = do_put_quiz(None, lesson, quiz_spec(max_attempts=2))
    do_enroll(learner, course)
    answers = wrong_answers(quiz)
    statuses: list[int] = []
    barrier = threading.Barrier(5)

    def submit() -> None:
        client = api_as(learner)
        barrier.wait()
        try:
            url = f"/courses/{course.slug}/lessons/{lesson.pk}/quiz/attempts"
            statuses.append(client.post(url, {"answers": answers}).status_code)
        finally:
            connection.close()

    # when five submissions arrive at once
    threads = [threading.Thread(target=submit) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then two are graded, numbered 1 and 2, and the rest are 409 no_attempts_left
    assert sorted(statuses) == [201, 201, 409, 409, 409]
    assert sorted(Attempt.objects.filter(user=learner).values_list("number", flat=True)) == [1, 2]
