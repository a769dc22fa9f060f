"""A daily-paced course through the API: days open one a day at the learner's local midnight
(GET lesson and PUT progress 403 ``lesson_locked``, course detail ``available_at``), preview lessons
stay open, and an admin can open every day for one learner (audited)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from momentum.accounts.models import User
from momentum.audit.models import AuditLog
from momentum.catalog.models import Course, Pacing
from momentum.learning.models import Enrollment
from momentum.lib.clock import travel_to
from tests.factories import make_course

pytestmark = pytest.mark.django_db

# Sunday 6 December 2026, 10:00 UTC = 15:30 in Kolkata
SUNDAY = datetime(2026, 12, 6, 10, tzinfo=UTC)


@pytest.fixture
def daily(db: None) -> Course:
    return make_course("One a day", duration_days=7, pacing=Pacing.DAILY)


@pytest.fixture
def kolkata_learner(learner: User) -> User:
    learner.timezone = "Asia/Kolkata"
    learner.save(update_fields=["timezone"])
    return learner


def _enrol(api_as: Any, user: User, course: Course, at: datetime = SUNDAY, **body: Any) -> Any:
    with travel_to(at):
        return api_as(user).post(f"/courses/{course.slug}/enrollment", body or None)


def _day(course: Course, day: int) -> int:
    return course.lessons.get(day=day).pk


def test_new_courses_are_daily_paced_unless_asked(api_as: Any, admin: User) -> None:
    client = api_as(admin)
    base = {"title": "Paced", "description": "", "category": "technology", "duration_days": 7}
    daily = client.post("/courses", base).json()
    self_paced = client.post("/courses", {**base, "title": "Free", "pacing": "SELF_PACED"}).json()
    assert (daily["pacing"], self_paced["pacing"]) == ("DAILY", "SELF_PACED")
    assert client.post("/courses", {**base, "pacing": "WEEKLY"}).status_code == 422


def test_tomorrows_lesson_is_locked_until_local_midnight(api_as: Any, kolkata_learner: User, daily: Course) -> None:
    _enrol(api_as, kolkata_learner, daily)
    client = api_as(kolkata_learner)
    with travel_to(datetime(2026, 12, 6, 18, 29, tzinfo=UTC)):  # 23:59 in Kolkata
        locked = client.get(f"/courses/{daily.slug}/lessons/{_day(daily, 2)}")
    with travel_to(datetime(2026, 12, 6, 18, 30, tzinfo=UTC)):  # midnight in Kolkata
        opened = client.get(f"/courses/{daily.slug}/lessons/{_day(daily, 2)}")
    assert locked.status_code == 403
    assert locked["Content-Type"] == "application/problem+json"
    assert locked.json()["code"] == "lesson_locked"
    assert locked.json()["available_at"] == "2026-12-06T18:30:00Z"
    assert opened.status_code == 200


def test_day_one_is_open_at_enrolment_and_day_three_two_days_later(
    api_as: Any, kolkata_learner: User, daily: Course
) -> None:
    _enrol(api_as, kolkata_learner, daily)
    client = api_as(kolkata_learner)
    with travel_to(SUNDAY):
        assert client.get(f"/courses/{daily.slug}/lessons/{_day(daily, 1)}").status_code == 200
    with travel_to(datetime(2026, 12, 7, 18, 29, tzinfo=UTC)):
        assert client.get(f"/courses/{daily.slug}/lessons/{_day(daily, 3)}").status_code == 403
    with travel_to(datetime(2026, 12, 7, 18, 30, tzinfo=UTC)):
        assert client.get(f"/courses/{daily.slug}/lessons/{_day(daily, 3)}").status_code == 200


def test_a_locked_day_cannot_be_marked_done(api_as: Any, kolkata_learner: User, daily: Course) -> None:
    _enrol(api_as, kolkata_learner, daily)
    with travel_to(SUNDAY):
        response = api_as(kolkata_learner).put(
            f"/courses/{daily.slug}/lessons/{_day(daily, 2)}/progress", {"completed": True}
        )
    assert response.status_code == 403
    assert response.json()["code"] == "lesson_locked"
    assert not kolkata_learner.lesson_progress.exists()


def test_the_course_detail_says_when_each_day_opens_for_the_learner(
    api: Any, api_as: Any, kolkata_learner: User, daily: Course
) -> None:
    _enrol(api_as, kolkata_learner, daily)
    with travel_to(SUNDAY):
        mine = api_as(kolkata_learner).get(f"/courses/{daily.slug}").json()
        anonymous = api.get(f"/courses/{daily.slug}").json()
    assert mine["pacing"] == "DAILY"
    assert [lesson["available_at"] for lesson in mine["lessons"][:3]] == [
        None,
        "2026-12-06T18:30:00Z",
        "2026-12-07T18:30:00Z",
    ]
    # not enrolled: their days start counting when they enrol, so every day reads open
    assert {lesson["available_at"] for lesson in anonymous["lessons"]} == {None}


def test_a_new_york_learner_gets_each_day_at_local_midnight_across_the_dst_switch(api_as: Any, learner: User) -> None:
    learner.timezone = "America/New_York"
    learner.save(update_fields=["timezone"])
    course = make_course("Spring forward", duration_days=7, pacing=Pacing.DAILY)
    _enrol(api_as, learner, course, at=datetime(2026, 3, 7, 15, tzinfo=UTC))
    with travel_to(datetime(2026, 3, 7, 15, tzinfo=UTC)):
        lessons = api_as(learner).get(f"/courses/{course.slug}").json()["lessons"]
    assert [lesson["available_at"] for lesson in lessons[1:3]] == ["2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"]


def test_preview_lessons_stay_open(api_as: Any, kolkata_learner: User) -> None:
    course = make_course("Preview two", duration_days=7, pacing=Pacing.DAILY)
    course.lessons.filter(day=5).update(is_preview=True)
    _enrol(api_as, kolkata_learner, course)
    with travel_to(SUNDAY):
        assert api_as(kolkata_learner).get(f"/courses/{course.slug}/lessons/{_day(course, 5)}").status_code == 200


def test_a_self_paced_course_opens_every_day_at_enrolment(api_as: Any, kolkata_learner: User) -> None:
    course = make_course("All at once", duration_days=7, pacing=Pacing.SELF_PACED)
    _enrol(api_as, kolkata_learner, course)
    with travel_to(SUNDAY):
        assert api_as(kolkata_learner).get(f"/courses/{course.slug}/lessons/{_day(course, 7)}").status_code == 200


def test_admins_open_any_day(api_as: Any, admin: User, daily: Course) -> None:
    with travel_to(SUNDAY):
        assert api_as(admin).get(f"/courses/{daily.slug}/lessons/{_day(daily, 7)}").status_code == 200


def test_an_admin_opens_every_day_for_one_learner_and_it_is_audited(
    api_as: Any, admin: User, kolkata_learner: User, stranger: User, daily: Course
) -> None:
    # given two learners who enrolled today
    _enrol(api_as, kolkata_learner, daily)
    _enrol(api_as, stranger, daily)
    enrollment = Enrollment.objects.get(user=kolkata_learner, course=daily)
    # when an admin opens every day for one of them
    with travel_to(SUNDAY):
        response = api_as(admin).patch(f"/enrollments/{enrollment.pk}", {"unlock_all": True})
        mine = api_as(kolkata_learner).get(f"/courses/{daily.slug}/lessons/{_day(daily, 7)}")
        theirs = api_as(stranger).get(f"/courses/{daily.slug}/lessons/{_day(daily, 7)}")
    # then day 7 is open to that learner only, and the change is in the audit log
    assert response.status_code == 200
    assert response.json()["all_days_open"] is True
    assert (mine.status_code, theirs.status_code) == (200, 403)
    entry = AuditLog.objects.get(action="enrollment.all_days_opened")
    assert (entry.actor_id, entry.subject_id) == (admin.pk, kolkata_learner.pk)


def test_unlock_all_accepts_only_true(api_as: Any, admin: User, kolkata_learner: User, daily: Course) -> None:
    _enrol(api_as, kolkata_learner, daily)
    enrollment = Enrollment.objects.get(user=kolkata_learner)
    assert api_as(admin).patch(f"/enrollments/{enrollment.pk}", {"unlock_all": False}).status_code == 422
    assert api_as(admin).patch(f"/enrollments/{enrollment.pk}", {"unlock_all": "true"}).status_code == 422
    assert api_as(admin).patch("/enrollments/999999", {"unlock_all": True}).status_code == 404


def test_the_enrolment_list_shows_each_learners_cohort_progress_and_opened_days(
    api_as: Any, admin: User, kolkata_learner: User, daily: Course
) -> None:
    _enrol(api_as, kolkata_learner, daily)
    body = api_as(admin).get(f"/courses/{daily.slug}/enrollments").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["user"] == {"id": kolkata_learner.pk, "email": kolkata_learner.email, "display_name": "Lee Learner"}
    assert (item["cohort_id"], item["progress_percent"], item["all_days_open"]) == (None, 0, False)


def test_only_admins_see_enrolments_and_open_days(
    api: Any, api_as: Any, kolkata_learner: User, stranger: User, daily: Course
) -> None:
    _enrol(api_as, kolkata_learner, daily)
    enrollment = Enrollment.objects.get(user=kolkata_learner)
    assert api.get(f"/courses/{daily.slug}/enrollments").status_code == 401
    for user in (kolkata_learner, stranger):
        assert api_as(user).get(f"/courses/{daily.slug}/enrollments").status_code == 403
        assert api_as(user).patch(f"/enrollments/{enrollment.pk}", {"unlock_all": True}).status_code == 403
    assert Enrollment.objects.get(pk=enrollment.pk).all_days_open_since is None
