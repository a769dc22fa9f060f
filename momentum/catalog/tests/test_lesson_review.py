"""Review before publishing: generated lessons and quizzes wait for an admin's review, and a
course with any of them unreviewed is not published (409 ``unreviewed_lessons`` naming the days)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from momentum.assessments.actions import do_put_quiz
from momentum.assessments.models import Quiz
from momentum.assessments.tests.factories import quiz_spec
from momentum.audit.models import AuditLog
from momentum.catalog.models import Course, Status
from momentum.catalog.tests.authoring import draft_course, generated_course

pytestmark = pytest.mark.django_db


def test_publishing_a_generated_draft_is_refused_naming_the_unreviewed_days(admin, api_as) -> None:
    course = generated_course()

    response = api_as(admin).post(f"/courses/{course.slug}/publish")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "unreviewed_lessons"
    assert body["days"] == [1, 2, 3, 4, 5, 6, 7]
    assert "1, 2, 3, 4, 5, 6, 7" in body["detail"]
    course.refresh_from_db()
    assert course.status == Status.DRAFT


def test_the_admin_view_of_a_course_says_which_lessons_need_review(admin, api_as) -> None:
    course = generated_course()

    body = api_as(admin).patch(f"/courses/{course.slug}", {}).json()

    assert {lesson["needs_review"] for lesson in body["lessons"]} == {True}
    assert body["unreviewed_days"] == [1, 2, 3, 4, 5, 6, 7]


def test_learners_never_see_the_review_flag(learner, api_as) -> None:
    course = generated_course()
    Course.objects.filter(pk=course.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    lesson = course.lessons.get(day=1)
    lesson.is_preview = True
    lesson.save()

    response = api_as(learner).get(f"/courses/{course.slug}/lessons/{lesson.pk}")

    assert response.status_code == 200
    assert "needs_review" not in response.json()


def test_an_edit_through_the_api_is_a_review(admin, api_as) -> None:
    course = generated_course()
    lesson = course.lessons.get(day=3)

    response = api_as(admin).patch(f"/courses/{course.slug}/lessons/{lesson.pk}", {"title": "Day 3: the claw grip"})

    assert response.status_code == 200
    assert response.json()["needs_review"] is False
    refused = api_as(admin).post(f"/courses/{course.slug}/publish").json()
    assert refused["days"] == [1, 2, 4, 5, 6, 7]


def test_reviewed_true_clears_the_lesson_and_its_quiz(admin, api_as) -> None:
    course = generated_course(with_quizzes=True)
    lesson = course.lessons.get(day=1)

    response = api_as(admin).patch(f"/courses/{course.slug}/lessons/{lesson.pk}", {"reviewed": True})

    assert response.status_code == 200
    assert response.json()["needs_review"] is False
    assert Quiz.objects.get(lesson=lesson).needs_review is False
    assert AuditLog.objects.filter(action="lesson.reviewed", resource_id=str(lesson.pk)).exists()


def test_an_unreviewed_quiz_alone_still_holds_the_course_back(admin, api_as) -> None:
    # given every lesson reviewed, but day 4's quiz written again by the generator
    course = generated_course(with_quizzes=True)
    client = api_as(admin)
    for lesson in course.lessons.all():
        client.patch(f"/courses/{course.slug}/lessons/{lesson.pk}", {"reviewed": True})
    do_put_quiz(None, course.lessons.get(day=4), quiz_spec(), needs_review=True)

    response = client.post(f"/courses/{course.slug}/publish")

    assert response.status_code == 409
    assert response.json()["days"] == [4]


def test_a_fully_reviewed_generated_course_is_published(admin, api_as) -> None:
    course = generated_course(with_quizzes=True)
    client = api_as(admin)
    for lesson in course.lessons.all():
        client.patch(f"/courses/{course.slug}/lessons/{lesson.pk}", {"reviewed": True})

    response = client.post(f"/courses/{course.slug}/publish")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "PUBLISHED"
    assert response.json()["unreviewed_days"] == []


def test_reviewed_false_asks_for_a_review_again(admin, api_as) -> None:
    course = draft_course(written=7)
    lesson = course.lessons.get(day=5)

    response = api_as(admin).patch(f"/courses/{course.slug}/lessons/{lesson.pk}", {"reviewed": False})

    assert response.json()["needs_review"] is True
    assert api_as(admin).post(f"/courses/{course.slug}/publish").json()["days"] == [5]


def test_lessons_written_by_hand_need_no_review(admin, api_as) -> None:
    course = draft_course()

    response = api_as(admin).post(
        f"/courses/{course.slug}/lessons", {"day": 1, "title": "Hold the pencil", "content_markdown": "Loosely."}
    )

    assert response.json()["needs_review"] is False
