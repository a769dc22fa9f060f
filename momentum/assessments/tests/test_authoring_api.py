"""PUT/DELETE .../quiz (admin) and GET /courses/{course}/quiz-stats: authoring and the question report."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.assessments.actions import Answer, do_submit_attempt
from momentum.assessments.models import Quiz
from momentum.assessments.specs import OptionSpec, QuestionKind, QuestionSpec, QuizSpec
from momentum.assessments.stats import _point_biserial
from momentum.audit.models import AuditLog
from momentum.catalog.models import Course, Lesson
from momentum.learning.actions import do_enroll

pytestmark = pytest.mark.django_db

BODY: dict[str, Any] = {
    "pass_percent": 60,
    "max_attempts": 3,
    "questions": [
        {"kind": "single", "prompt": "2 + 2?", "explanation": "Arithmetic.",
         "options": [{"text": "4", "correct": True}, {"text": "5", "correct": False}]},
        {"kind": "short_text", "prompt": "Capital of France?", "explanation": "", "accepted_answers": ["Paris"]},
    ],
}  # fmt: skip


def url(course: Course, lesson: Lesson) -> str:
    return f"/courses/{course.slug}/lessons/{lesson.pk}/quiz"


def test_an_admin_puts_a_quiz_and_gets_it_back_with_its_key(
    api_as: Any, admin: Any, course: Course, lesson: Lesson
) -> None:
    response = api_as(admin).put(url(course, lesson), BODY)
    assert response.status_code == 200
    body = response.json()
    assert (body["pass_percent"], body["max_attempts"], body["needs_review"]) == (60, 3, False)
    assert [o["correct"] for o in body["questions"][0]["options"]] == [True, False]
    assert body["questions"][1]["accepted_answers"] == ["Paris"]
    assert api_as(admin).get(f"{url(course, lesson)}/key").json() == body


def test_a_broken_quiz_is_422_naming_the_question(api_as: Any, admin: Any, course: Course, lesson: Lesson) -> None:
    broken = {**BODY, "questions": [BODY["questions"][1], {**BODY["questions"][0], "options": [
        {"text": "4", "correct": True}, {"text": "four", "correct": True}]}]}  # fmt: skip
    response = api_as(admin).put(url(course, lesson), broken)
    body = response.json()
    assert (response.status_code, body["code"]) == (422, "validation_error")
    assert [e["message"] for e in body["errors"]] == [
        "Question 2: a single-choice question needs exactly one right option"
    ]
    assert not Quiz.objects.exists()


def test_an_unknown_question_kind_is_422(api_as: Any, admin: Any, course: Course, lesson: Lesson) -> None:
    body = {**BODY, "questions": [{**BODY["questions"][0], "kind": "essay"}]}
    assert api_as(admin).put(url(course, lesson), body).status_code == 422


def test_a_learner_may_not_author_quizzes(api_as: Any, learner: Any, course: Course, lesson: Lesson) -> None:
    response = api_as(learner).put(url(course, lesson), BODY)
    assert (response.status_code, response.json()["code"]) == (403, "instructor_required")


def test_deleting_a_quiz_removes_it_and_is_audited(
    api_as: Any, admin: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    assert api_as(admin).delete(url(course, lesson)).status_code == 204
    assert not Quiz.objects.exists()
    assert AuditLog.objects.filter(action="quiz.deleted").exists()
    response = api_as(admin).delete(url(course, lesson))
    assert (response.status_code, response.json()["code"]) == (404, "no_quiz")


def _true_false_quiz(admin: Any, lesson: Lesson, *prompts: str) -> Quiz:
    from momentum.assessments.actions import do_put_quiz

    def q(prompt: str) -> QuestionSpec:
        return QuestionSpec(QuestionKind.TRUE_FALSE, prompt, "", (OptionSpec("True", True), OptionSpec("False", False)))

    return do_put_quiz(admin, lesson, QuizSpec(questions=tuple(q(p) for p in prompts), pass_percent=50))


def _take(user: Any, lesson: Lesson, quiz: Quiz, marks: tuple[bool, ...]) -> None:
    questions = list(quiz.questions.prefetch_related("options"))
    do_submit_attempt(user, lesson, [
        Answer(q.pk, (next(o.pk for o in q.options.all() if o.is_correct == right),))
        for q, right in zip(questions, marks, strict=True)
    ])  # fmt: skip


def test_the_question_report_flags_a_question_strong_learners_miss(
    api_as: Any, admin: Any, course: Course, lesson: Lesson, django_user_model: Any
) -> None:
    # given two strong learners who miss "Tricky?" and two weak ones who get only it right
    quiz = _true_false_quiz(admin, lesson, "Easy?", "Medium?", "Tricky?")
    for n, marks in enumerate([(True, True, False), (True, True, False), (True, False, True), (False, False, True)]):
        user = django_user_model.objects.create_user(email=f"l{n}@example.com", password="x" * 12)
        do_enroll(user, course)
        _take(user, lesson, quiz, marks)
    # when
    items = api_as(admin).get(f"/courses/{course.slug}/quiz-stats").json()["items"]
    # then
    assert [(i["prompt"], i["attempts"], i["percent_correct"]) for i in items] == [
        ("Easy?", 4, 75.0),
        ("Medium?", 4, 50.0),
        ("Tricky?", 4, 50.0),
    ]
    assert items[2]["discrimination"] < 0
    assert [i["needs_attention"] for i in items] == [False, False, True]


def test_discrimination_is_the_point_biserial_correlation() -> None:
    # right answers from the high scorers: positive; from the low scorers: negative
    assert _point_biserial([(1, 90), (1, 80), (0, 40), (0, 30)]) == pytest.approx(0.981, abs=0.001)
    assert _point_biserial([(0, 90), (0, 80), (1, 40), (1, 30)]) == pytest.approx(-0.981, abs=0.001)
    assert _point_biserial([(1, 90)]) is None


def test_a_question_most_learners_miss_needs_attention(
    api_as: Any, admin: Any, course: Course, lesson: Lesson, django_user_model: Any
) -> None:
    quiz = _true_false_quiz(admin, lesson, "Easy?", "Hard?")
    for n, hard_right in enumerate([True, False, False]):
        user = django_user_model.objects.create_user(email=f"m{n}@example.com", password="x" * 12)
        do_enroll(user, course)
        _take(user, lesson, quiz, (True, hard_right))
    items = api_as(admin).get(f"/courses/{course.slug}/quiz-stats").json()["items"]
    assert [(i["percent_correct"], i["needs_attention"]) for i in items] == [(100.0, False), (33.3, True)]
    assert items[1]["discrimination"] > 0
