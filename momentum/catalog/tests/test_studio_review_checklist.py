"""The studio's review checklist: what of a generated draft is left to review, and "mark reviewed"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from momentum.assessments.models import Quiz
from momentum.catalog.models import Lesson
from momentum.catalog.tests.authoring import draft_course, generated_course

pytestmark = pytest.mark.django_db

NOTE = "Draft generated offline by Momentum's local generator. Review, correct and extend it before publishing."


@pytest.fixture
def studio(admin) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def test_the_checklist_lists_each_day_with_its_lesson_and_quiz_state(studio) -> None:
    course = generated_course(with_quizzes=True)

    page = studio.get(reverse("catalog:studio_course_review", args=[course.pk])).content.decode()

    assert page.count("Needs review") == 14  # seven lessons and seven quizzes
    assert "Days 1, 2, 3, 4, 5, 6, 7 still need a review" in page
    assert reverse("catalog:studio_lesson", args=[course.pk, 3]) in page


def test_marking_a_day_reviewed_clears_its_lesson_and_quiz(studio) -> None:
    course = generated_course(with_quizzes=True)

    response = studio.post(reverse("catalog:studio_lesson_reviewed", args=[course.pk, 2]), follow=True)

    lesson = Lesson.objects.get(course=course, day=2)
    assert lesson.needs_review is False
    assert Quiz.objects.get(lesson=lesson).needs_review is False
    assert "Days 1, 3, 4, 5, 6, 7 still need a review" in response.content.decode()


def test_the_offline_generators_note_is_shown_to_admins_in_the_studio(studio) -> None:
    course = generated_course(review_note=NOTE)

    editor = studio.get(reverse("catalog:studio_course", args=[course.pk])).content.decode()
    checklist = studio.get(reverse("catalog:studio_course_review", args=[course.pk])).content.decode()

    assert "Draft generated offline" in editor
    assert "Draft generated offline" in checklist


def test_the_offline_generators_note_is_never_shown_to_learners(learner) -> None:
    course = generated_course(review_note=NOTE)
    client = Client()
    client.force_login(learner)
    course.status = "PUBLISHED"
    course.published_at = course.created_at
    course.save()

    page = client.get(reverse("catalog:detail", args=[course.slug])).content.decode()

    assert page.count("Knife skills at home") >= 1
    assert "generated offline" not in page


def test_publishing_from_the_editor_explains_which_days_need_review(studio) -> None:
    course = generated_course()

    response = studio.post(reverse("catalog:studio_course_publish", args=[course.pk]))

    assert response.status_code == 409
    page = response.content.decode()
    assert "not been reviewed" in page
    assert reverse("catalog:studio_course_review", args=[course.pk]) in page


def test_saving_a_generated_lesson_in_the_editor_is_its_review(studio) -> None:
    course = generated_course()
    lesson = Lesson.objects.get(course=course, day=1)

    studio.post(
        reverse("catalog:studio_lesson", args=[course.pk, 1]),
        {"day": 1, "title": lesson.title, "content_markdown": lesson.content_markdown, "duration_minutes": 10},
    )

    lesson.refresh_from_db()
    assert lesson.needs_review is False


def test_a_course_written_by_hand_has_nothing_to_review(studio) -> None:
    course = draft_course(written=7)

    page = studio.get(reverse("catalog:studio_course_review", args=[course.pk])).content.decode()

    assert "Every lesson and quiz is reviewed." in page
    assert "Mark reviewed" not in page
