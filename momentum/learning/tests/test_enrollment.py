"""POST/DELETE /courses/{course}/enrollment and GET /me/enrollments."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.analytics.models import EventKind, LearningEvent
from momentum.catalog.models import Status
from momentum.learning.models import Enrollment
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def test_enrolling_twice_returns_the_same_enrollment(api_as: Any, learner: Any, course: Any) -> None:
    client = api_as(learner)
    first = client.post(f"/courses/{course.slug}/enrollment")
    again = client.post(f"/courses/{course.pk}/enrollment")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1
    assert LearningEvent.objects.filter(user=learner, kind=EventKind.ENROLLED).count() == 1
    course.refresh_from_db()
    assert course.enrollment_count == 1


def test_the_enrollment_body_tells_the_progress(api_as: Any, learner: Any, course: Any) -> None:
    body = api_as(learner).post(f"/courses/{course.slug}/enrollment").json()
    assert body["course"] == {"id": course.pk, "slug": course.slug, "title": course.title}
    assert (body["progress_percent"], body["lessons_completed"], body["next_lesson_day"]) == (0, 0, 1)
    assert body["completed_at"] is None


def test_an_unverified_learner_cannot_enrol(api_as: Any, unverified_learner: Any, course: Any) -> None:
    response = api_as(unverified_learner).post(f"/courses/{course.slug}/enrollment")
    assert response.status_code == 403
    assert response.json()["code"] == "email_unverified"


def test_an_anonymous_visitor_must_sign_in_to_enrol(api: Any, course: Any) -> None:
    assert api.post(f"/courses/{course.slug}/enrollment").status_code == 401


def test_a_premium_course_needs_payment(api_as: Any, learner: Any, premium_learner: Any) -> None:
    premium = make_course("Advanced negotiation", is_premium=True)
    response = api_as(learner).post(f"/courses/{premium.slug}/enrollment")
    assert response.status_code == 402
    assert response.json()["code"] == "payment_required"
    assert api_as(premium_learner).post(f"/courses/{premium.slug}/enrollment").status_code == 201


def test_hidden_courses_cannot_be_enrolled_in(api_as: Any, learner: Any) -> None:
    draft = make_course("Unfinished", status=Status.DRAFT)
    assert api_as(learner).post(f"/courses/{draft.slug}/enrollment").status_code == 404


def test_leaving_a_course_deletes_the_enrollment(api_as: Any, enrolled: Any, course: Any) -> None:
    client = api_as(enrolled)
    assert client.delete(f"/courses/{course.slug}/enrollment").status_code == 204
    assert not Enrollment.objects.filter(user=enrolled).exists()
    assert client.delete(f"/courses/{course.slug}/enrollment").status_code == 204
    assert LearningEvent.objects.filter(user=enrolled, kind=EventKind.UNENROLLED).count() == 1


def test_my_enrollments_list_only_my_courses_with_progress(
    api_as: Any, enrolled: Any, stranger: Any, course: Any, django_assert_max_num_queries: Any
) -> None:
    other = make_course("Another course")
    api_as(stranger).post(f"/courses/{other.slug}/enrollment")
    lesson = course.lessons.get(day=1)
    api_as(enrolled).put(f"/courses/{course.slug}/lessons/{lesson.pk}/progress", {"completed": True})
    with django_assert_max_num_queries(4):
        body = api_as(enrolled).get("/me/enrollments").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["lessons_completed"], item["next_lesson_day"], item["progress_percent"]) == (1, 2, 14)
