"""Quiz attempts and course completions of learners who came by LTI become scores owed to their LMS."""

from __future__ import annotations

from decimal import Decimal

import pytest

from momentum.assessments.actions import Answer, do_put_quiz, do_submit_attempt
from momentum.assessments.specs import QuizSpec
from momentum.assessments.tests.factories import short_text
from momentum.learning.actions import do_enroll, do_record_progress
from momentum.lti.models import LtiScore
from momentum.lti.tests.factories import make_grade_link
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def test_a_quiz_attempt_owes_its_score_to_the_day_line_item(admin, learner) -> None:
    # given
    course = make_course(duration_days=7)
    lesson = course.lessons.get(day=2)
    quiz = do_put_quiz(admin, lesson, QuizSpec(questions=(short_text(),), pass_percent=50))
    do_enroll(learner, course)
    make_grade_link(learner, course, day=2)
    # when
    do_submit_attempt(learner, lesson, [Answer(question_id=quiz.questions.get().pk, text="nope")])
    # then
    [score] = LtiScore.objects.all()
    assert (score.score_given, score.score_maximum, score.activity_progress) == (Decimal(0), Decimal(100), "Submitted")
    assert score.status == "pending"


def test_a_learner_who_did_not_come_by_lti_owes_nothing(admin, learner) -> None:
    course = make_course(duration_days=7)
    lesson = course.lessons.get(day=1)
    quiz = do_put_quiz(admin, lesson, QuizSpec(questions=(short_text(),), pass_percent=50))
    do_enroll(learner, course)
    do_submit_attempt(learner, lesson, [Answer(question_id=quiz.questions.get().pk, text="print")])
    assert not LtiScore.objects.exists()


def test_finishing_the_course_owes_full_marks_to_the_course_line_item(learner) -> None:
    course = make_course(duration_days=7)
    do_enroll(learner, course)
    make_grade_link(learner, course)
    for lesson in course.lessons.all():
        do_record_progress(learner, lesson, completed=True)
    [score] = LtiScore.objects.all()
    assert (score.score_given, score.activity_progress) == (Decimal(100), "Completed")
