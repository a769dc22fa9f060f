"""GET .../quiz and POST .../quiz/attempts: the learner takes a lesson's quiz, graded on the server."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.analytics.models import EventKind, LearningEvent
from momentum.assessments.actions import do_put_quiz
from momentum.assessments.models import Attempt, Quiz
from momentum.assessments.tests.conftest import right_answers, wrong_answers
from momentum.assessments.tests.factories import quiz_spec
from momentum.catalog.models import Course, Lesson
from momentum.learning.models import Enrollment, LessonProgress

pytestmark = pytest.mark.django_db


def quiz_url(course: Course, lesson: Lesson) -> str:
    return f"/courses/{course.slug}/lessons/{lesson.pk}/quiz"


def test_the_quiz_never_gives_away_the_key(
    api_as: Any, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    response = api_as(enrolled).get(quiz_url(course, lesson))
    assert response.status_code == 200
    text = response.content.decode()
    assert "correct" not in text
    assert "accepted" not in text
    assert '"print"' not in text
    body = response.json()
    assert [q["kind"] for q in body["questions"]] == ["single", "multiple", "true_false", "short_text"]
    assert body["questions"][3]["options"] == []
    assert body == {**body, "pass_percent": 70, "max_attempts": None, "attempts_used": 0, "passed": False}


def test_options_are_shuffled_per_learner_and_stay_in_that_order(
    api_as: Any, enrolled: Any, premium_learner: Any, course: Course, lesson: Lesson
) -> None:
    from momentum.assessments.specs import QuizSpec
    from momentum.assessments.tests.factories import single

    questions = tuple(single(f"Question {n}?", "a", "b", "c", "d", "e", "f") for n in range(6))
    do_put_quiz(None, lesson, QuizSpec(questions=questions))
    Enrollment.objects.create(user=premium_learner, course=course)

    def orders(user: Any) -> list[list[str]]:
        body = api_as(user).get(quiz_url(course, lesson)).json()
        return [[option["text"] for option in q["options"]] for q in body["questions"]]

    mine = orders(enrolled)
    assert orders(enrolled) == mine
    assert orders(premium_learner) != mine
    assert any(order != ["a", "b", "c", "d", "e", "f"] for order in mine)


def test_a_lesson_without_a_quiz_is_404_no_quiz(api_as: Any, enrolled: Any, course: Course, lesson: Lesson) -> None:
    response = api_as(enrolled).get(quiz_url(course, lesson))
    assert (response.status_code, response.json()["code"]) == (404, "no_quiz")


def test_a_stranger_to_the_course_may_not_see_its_quiz(
    api_as: Any, learner: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    response = api_as(learner).get(quiz_url(course, lesson))
    assert (response.status_code, response.json()["code"]) == (403, "not_enrolled")


def test_a_failed_attempt_shows_what_was_right_and_why_and_leaves_the_lesson_open(
    api_as: Any, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    response = api_as(enrolled).post(f"{quiz_url(course, lesson)}/attempts", {"answers": wrong_answers(quiz)})
    assert response.status_code == 201
    body = response.json()
    assert (body["score_percent"], body["passed"], body["attempts_used"], body["attempts_left"]) == (0, False, 1, None)
    first = quiz.questions.get(position=0)
    assert body["results"][0] == {
        "question_id": first.pk,
        "correct": False,
        "correct_option_ids": [first.options.get(is_correct=True).pk],
        "accepted_answers": [],
        "explanation": "def is the answer.",
    }
    assert body["results"][3]["accepted_answers"] == ["print", "print()"]
    assert not LessonProgress.objects.filter(user=enrolled, lesson=lesson, completed=True).exists()


def test_passing_the_quiz_completes_the_lesson(
    api_as: Any, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    response = api_as(enrolled).post(f"{quiz_url(course, lesson)}/attempts", {"answers": right_answers(quiz)})
    body = response.json()
    assert (body["score_percent"], body["passed"], body["lesson_completed"]) == (100, True, True)
    assert LessonProgress.objects.get(user=enrolled, lesson=lesson).completed
    assert LearningEvent.objects.filter(user=enrolled, kind=EventKind.LESSON_COMPLETED, lesson=lesson).exists()
    assert api_as(enrolled).get(quiz_url(course, lesson)).json()["passed"] is True


def test_a_failed_attempt_after_a_pass_leaves_the_quiz_passed_and_counts_as_used(
    api_as: Any, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    attempts = f"{quiz_url(course, lesson)}/attempts"
    api_as(enrolled).post(attempts, {"answers": right_answers(quiz)})
    api_as(enrolled).post(attempts, {"answers": wrong_answers(quiz)})

    body = api_as(enrolled).get(quiz_url(course, lesson)).json()

    assert (body["passed"], body["attempts_used"]) == (True, 2)
    assert api_as(enrolled).get(quiz_url(course, lesson)).json() == body


def test_the_pass_mark_decides_whether_three_of_four_is_a_pass(
    api_as: Any, admin: Any, enrolled: Any, course: Course, lesson: Lesson
) -> None:
    quiz = do_put_quiz(admin, lesson, quiz_spec(pass_percent=80))
    answers = right_answers(quiz)
    answers[3] = {"question_id": answers[3]["question_id"], "text": "echo"}
    body = api_as(enrolled).post(f"{quiz_url(course, lesson)}/attempts", {"answers": answers}).json()
    assert (body["score_percent"], body["passed"]) == (75, False)


def test_attempts_scores_and_time_are_learning_events(
    api_as: Any, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    api_as(enrolled).post(
        f"{quiz_url(course, lesson)}/attempts",
        {"answers": right_answers(quiz), "started_at": "2020-01-01T00:00:00Z"},
    )
    event = LearningEvent.objects.get(user=enrolled, kind=EventKind.QUIZ_ATTEMPTED)
    assert (event.lesson_id, int(event.value)) == (lesson.pk, 100)
    assert event.properties["passed"] is True
    assert event.properties["seconds"] > 0


def test_the_attempt_limit_is_409_no_attempts_left(
    api_as: Any, admin: Any, enrolled: Any, course: Course, lesson: Lesson
) -> None:
    quiz = do_put_quiz(admin, lesson, quiz_spec(max_attempts=1))
    client = api_as(enrolled)
    assert (
        client.post(f"{quiz_url(course, lesson)}/attempts", {"answers": wrong_answers(quiz)}).json()["attempts_left"]
        == 0
    )
    response = client.post(f"{quiz_url(course, lesson)}/attempts", {"answers": right_answers(quiz)})
    assert (response.status_code, response.json()["code"]) == (409, "no_attempts_left")
    assert Attempt.objects.filter(user=enrolled).count() == 1


def test_an_unanswered_question_or_a_foreign_option_is_422_invalid_answers(
    api_as: Any, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    answers = right_answers(quiz)
    answers[0] = {"question_id": answers[0]["question_id"], "option_ids": answers[1]["option_ids"]}
    response = api_as(enrolled).post(f"{quiz_url(course, lesson)}/attempts", {"answers": answers[:3]})
    body = response.json()
    assert (response.status_code, body["code"]) == (422, "invalid_answers")
    messages = [error["message"] for error in body["errors"]]
    assert messages == ["question 1: an option that is not one of its own", "question 4 is not answered"]
    assert not Attempt.objects.exists()


def test_an_unknown_question_is_422_invalid_answers(
    api_as: Any, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    answers = [*right_answers(quiz), {"question_id": 999999, "option_ids": [1]}]
    response = api_as(enrolled).post(f"{quiz_url(course, lesson)}/attempts", {"answers": answers})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_answers")


def test_completing_a_lesson_with_an_unpassed_quiz_is_409_quiz_not_passed(
    api_as: Any, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    url = f"/courses/{course.slug}/lessons/{lesson.pk}/progress"
    response = api_as(enrolled).put(url, {"completed": True})
    assert (response.status_code, response.json()["code"]) == (409, "quiz_not_passed")
    assert api_as(enrolled).put(url, {"completed": False, "position_seconds": 30}).status_code == 200
    api_as(enrolled).post(f"{quiz_url(course, lesson)}/attempts", {"answers": right_answers(quiz)})
    assert api_as(enrolled).put(url, {"completed": True}).status_code == 200


def test_the_course_outline_and_the_lesson_say_which_lessons_have_a_quiz(
    api_as: Any, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    outline = api_as(enrolled).get(f"/courses/{course.slug}").json()["lessons"]
    assert [item["has_quiz"] for item in outline[:3]] == [False, True, False]
    assert api_as(enrolled).get(f"/courses/{course.slug}/lessons/{lesson.pk}").json()["has_quiz"] is True


def test_the_learners_attempts_are_in_their_data_export_and_go_with_their_account(
    api_as: Any, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    from momentum.accounts import gdpr

    api_as(enrolled).post(f"{quiz_url(course, lesson)}/attempts", {"answers": wrong_answers(quiz)})
    exported = gdpr.export(enrolled)["quiz_attempts"]
    assert [(a["course"], a["day"], a["score_percent"]) for a in exported] == [(course.slug, 2, 0)]
    gdpr.erase(enrolled)
    assert not Attempt.objects.filter(user=enrolled).exists()
