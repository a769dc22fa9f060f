"""PUT /courses/{course}/lessons/{lesson}/progress: an upsert; completion, certificates, streaks, badges."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from momentum.accounts.models import Role
from momentum.achievements.models import BadgeAward
from momentum.analytics.models import EventKind, LearningEvent
from momentum.credentials.models import Credential
from momentum.learning.actions import do_enroll, do_record_progress
from momentum.learning.models import Enrollment, LessonProgress
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def put(client: Any, course: Any, day: int, **body: Any) -> Any:
    lesson = course.lessons.get(day=day)
    return client.put(f"/courses/{course.slug}/lessons/{lesson.pk}/progress", {"completed": False, **body})


def test_progress_is_an_upsert_that_can_be_repeated(api_as: Any, enrolled: Any, course: Any) -> None:
    client = api_as(enrolled)
    assert put(client, course, 1, position_seconds=30).json()["position_seconds"] == 30
    body = put(client, course, 1, completed=True, position_seconds=95).json()
    again = put(client, course, 1, completed=True, position_seconds=95).json()
    assert body == {**again, "badges_awarded": body["badges_awarded"]}
    assert body["completed"] is True
    assert body["completed_at"] is not None
    assert LessonProgress.objects.filter(user=enrolled).count() == 1
    assert LearningEvent.objects.filter(user=enrolled, kind=EventKind.LESSON_COMPLETED).count() == 1


def test_completion_stays_when_the_learner_watches_again(api_as: Any, enrolled: Any, course: Any) -> None:
    client = api_as(enrolled)
    put(client, course, 2, completed=True)
    body = put(client, course, 2, completed=False, position_seconds=12).json()
    assert (body["completed"], body["position_seconds"]) == (True, 12)


def test_a_players_position_write_is_one_update_without_a_transaction(api_as: Any, enrolled: Any, course: Any) -> None:
    client = api_as(enrolled)
    put(client, course, 3, completed=True)
    put(client, course, 4, position_seconds=10)
    with CaptureQueriesContext(connection) as done_lesson:
        again = put(client, course, 3, completed=True, position_seconds=40).json()
    with CaptureQueriesContext(connection) as open_lesson:
        moved = put(client, course, 4, position_seconds=70).json()

    assert (again["completed"], again["position_seconds"]) == (True, 40)
    assert (moved["completed"], moved["position_seconds"]) == (False, 70)
    assert LessonProgress.objects.get(user=enrolled, lesson__day=4).position_seconds == 70
    for captured in (done_lesson, open_lesson):  # (the last activity's write is the write buffer's, ADR 0023)
        sql = [q["sql"].lstrip().upper() for q in captured.captured_queries]
        assert [s.split()[0] for s in sql if "LEARNING_LESSONPROGRESS" in s] == ["UPDATE"]
        assert not any(s.startswith(("BEGIN", "SAVEPOINT")) or "FOR UPDATE" in s for s in sql)
    assert LearningEvent.objects.filter(user=enrolled, kind=EventKind.LESSON_COMPLETED).count() == 1


def test_a_learner_who_left_the_course_moves_no_position(api_as: Any, enrolled: Any, course: Any) -> None:
    client = api_as(enrolled)
    put(client, course, 1, completed=True, position_seconds=30)
    Enrollment.objects.filter(user=enrolled, course=course).delete()

    response = put(client, course, 1, completed=True, position_seconds=90)

    assert response.status_code == 403
    assert response.json()["code"] == "not_enrolled"
    assert LessonProgress.objects.get(user=enrolled, lesson__day=1).position_seconds == 30


def test_only_enrolled_learners_record_progress(api: Any, api_as: Any, learner: Any, course: Any) -> None:
    response = put(api_as(learner), course, 1, completed=True)
    assert response.status_code == 403
    assert response.json()["code"] == "not_enrolled"
    assert put(api, course, 1, completed=True).status_code == 401


def test_a_learner_whose_premium_lapsed_records_no_progress(api_as: Any, premium_learner: Any) -> None:
    premium = make_course("Advanced negotiation", is_premium=True)
    client = api_as(premium_learner)
    assert client.post(f"/courses/{premium.slug}/enrollment").status_code == 201
    assert put(client, premium, 2, position_seconds=30).status_code == 200
    premium_learner.role = Role.FREE  # the plan ended
    premium_learner.save(update_fields=["role"])

    moved = put(client, premium, 2, position_seconds=90)
    completed = put(client, premium, 3, completed=True)
    preview = put(client, premium, 1, position_seconds=15)  # day 1, the free preview, stays open

    assert [moved.status_code, completed.status_code] == [402, 402]
    assert moved.json()["code"] == completed.json()["code"] == "payment_required"
    assert preview.status_code == 200
    assert LessonProgress.objects.get(user=premium_learner, lesson__day=2).position_seconds == 30
    assert not LessonProgress.objects.filter(user=premium_learner, lesson__day=3).exists()


def test_a_position_beyond_a_day_is_refused(api_as: Any, enrolled: Any, course: Any) -> None:
    assert put(api_as(enrolled), course, 1, position_seconds=86401).status_code == 422


def test_completing_every_lesson_completes_the_enrollment(api_as: Any, enrolled: Any, course: Any) -> None:
    client = api_as(enrolled)
    for day in range(1, 7):
        assert put(client, course, day, completed=True).json()["course_completed"] is False
    last = put(client, course, 7, completed=True).json()
    assert last["course_completed"] is True
    enrollment = Enrollment.objects.get(user=enrolled, course=course)
    assert enrollment.completed_at is not None
    assert Credential.objects.filter(enrollment=enrollment, kind=Credential.Kind.CERTIFICATE).count() == 1
    assert LearningEvent.objects.filter(user=enrolled, kind=EventKind.COURSE_COMPLETED).count() == 1
    assert "first-course" in last["badges_awarded"]
    stats = client.get("/me/stats").json()
    assert stats["lessons_completed"] == 7
    assert stats["courses_completed"] == 1
    assert stats["minutes_learned"] == 7 * 12


def test_the_first_lesson_awards_its_badge_once(api_as: Any, enrolled: Any, course: Any) -> None:
    client = api_as(enrolled)
    assert put(client, course, 1, completed=True).json()["badges_awarded"] == ["first-lesson"]
    assert put(client, course, 2, completed=True).json()["badges_awarded"] == []
    mine = client.get("/me/badges").json()
    assert [item["badge"]["code"] for item in mine["items"]] == ["first-lesson"]
    assert LearningEvent.objects.filter(user=enrolled, kind=EventKind.BADGE_AWARDED).count() == 1


def test_the_badges_list_says_how_to_earn_each(api: Any) -> None:
    body = api.get("/badges").json()
    codes = [item["code"] for item in body["items"]]
    assert {"first-lesson", "first-course", "streak-7", "course-21", "three-courses"} <= set(codes)
    assert all(item["criteria"] for item in body["items"])


def at(day: int, hour: int = 12, zone: str = "UTC") -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=ZoneInfo(zone))


def test_a_streak_counts_consecutive_local_days(api_as: Any, learner: Any) -> None:
    course = make_course("Three weeks of Spanish", duration_days=21, category="languages")
    do_enroll(learner, course, now=at(1))
    lessons = list(course.lessons.order_by("day"))
    for day in range(1, 8):  # seven days in a row
        do_record_progress(learner, lessons[day - 1], completed=True, now=at(day))
    assert BadgeAward.objects.filter(user=learner, badge__code="streak-7").exists()
    do_record_progress(learner, lessons[7], completed=True, now=at(10))  # a gap of two days
    from momentum.learning.queries import learner_stats

    stats = learner_stats(learner, today=at(10).date())
    assert (stats.current_streak_days, stats.longest_streak_days) == (1, 7)
    assert learner_stats(learner, today=at(11).date()).current_streak_days == 1  # today still to do
    assert learner_stats(learner, today=at(12).date()).current_streak_days == 0


def test_days_are_the_learners_own(learner: Any) -> None:
    # given a learner in Tokyo, whose 23:30 on the 1st and 00:30 on the 3rd (local) are far apart in UTC
    learner.timezone = "Asia/Tokyo"
    learner.save()
    course = make_course("Haiku", duration_days=7, category="languages")
    do_enroll(learner, course, now=at(1, 0))
    lessons = list(course.lessons.order_by("day"))
    # 1 March 23:30 Tokyo = 14:30 UTC on the 1st; 2 March 00:30 Tokyo = 15:30 UTC on the 1st
    do_record_progress(learner, lessons[0], completed=True, now=at(1, 23, "Asia/Tokyo").replace(minute=30))
    do_record_progress(learner, lessons[1], completed=True, now=at(2, 0, "Asia/Tokyo").replace(minute=30))
    days = sorted(LessonProgress.objects.filter(user=learner).values_list("completed_on", flat=True))  # type: ignore[type-var]
    assert None not in days
    assert [d.day for d in days if d is not None] == [1, 2]
    from momentum.learning.queries import streak_of

    assert streak_of(learner, today=at(2).date()).current == 2


def test_a_21_day_course_finished_awards_its_badge(learner: Any) -> None:
    course = make_course("Three weeks of drawing", duration_days=21, category="creative-arts")
    do_enroll(learner, course, now=at(1))
    for lesson in course.lessons.order_by("day"):
        do_record_progress(learner, lesson, completed=True, now=at(1) + timedelta(days=lesson.day - 1))
    codes = set(BadgeAward.objects.filter(user=learner).values_list("badge__code", flat=True))
    assert {"first-lesson", "first-course", "course-21", "course-14", "streak-7", "streak-21"} <= codes


def test_three_courses_award_the_hat_trick(learner: Any) -> None:
    for n in range(3):
        course = make_course(f"Short course {n}", duration_days=7)
        do_enroll(learner, course)
        for lesson in course.lessons.all():
            do_record_progress(learner, lesson, completed=True)
    assert BadgeAward.objects.filter(user=learner, badge__code="three-courses").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_progress_puts_leave_one_row_and_one_award(api_as: Any, learner: Any) -> None:
    # given a one-lesson-left course, so completing it awards badges
    course = make_course("Concurrency for beginners", duration_days=7)
    do_enroll(learner, course)
    lessons = list(course.lessons.order_by("day"))
    for lesson in lessons[:-1]:
        do_record_progress(learner, lesson, completed=True)
    BadgeAward.objects.filter(user=learner).delete()
    LearningEvent.objects.filter(user=learner, kind=EventKind.BADGE_AWARDED).delete()
    last = lessons[-1]
    statuses: list[int] = []
    barrier = threading.Barrier(6)

    def complete() -> None:
        client = api_as(learner)
        barrier.wait()
        try:
            response = client.put(f"/courses/{course.slug}/lessons/{last.pk}/progress", {"completed": True})
            statuses.append(response.status_code)
        finally:
            connection.close()

    # when six requests complete the last lesson at once
    threads = [threading.Thread(target=complete) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then all succeed, with one progress row, one completion, and each badge awarded once
    assert statuses == [200] * 6
    assert LessonProgress.objects.filter(user=learner, lesson=last).count() == 1
    assert LearningEvent.objects.filter(user=learner, kind=EventKind.LESSON_COMPLETED, lesson=last).count() == 1
    assert LearningEvent.objects.filter(user=learner, kind=EventKind.COURSE_COMPLETED).count() == 1
    awards = list(BadgeAward.objects.filter(user=learner).values_list("badge__code", flat=True))
    assert "first-course" in awards
    assert LearningEvent.objects.filter(user=learner, kind=EventKind.BADGE_AWARDED).count() == len(awards)


def test_a_progress_row_written_by_another_path_meanwhile_is_completed_once(
    learner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a lesson whose progress row another path writes between this completion's read and its insert
    from momentum.learning import actions

    course = make_course("Races for beginners")
    do_enroll(learner, course)
    lesson = course.lessons.get(day=1)
    reads = actions._PROGRESS_OF_LESSON.first

    def read_before_the_other_write(params: Any) -> Any:
        if not LessonProgress.objects.filter(user=learner, lesson=lesson).exists():
            LessonProgress.objects.create(user=learner, lesson=lesson, course=course, position_seconds=42)
            return None  # what this write read, before the other one
        return reads(params)

    monkeypatch.setattr(actions._PROGRESS_OF_LESSON, "first", read_before_the_other_write)

    result = do_record_progress(learner, lesson, completed=True)

    # then the completion lands on that row, once, with the position the other path wrote
    row = LessonProgress.objects.get(user=learner, lesson=lesson)
    assert (row.completed, row.position_seconds, result.lesson_completed_now) == (True, 42, True)
    assert LearningEvent.objects.filter(user=learner, kind=EventKind.LESSON_COMPLETED).count() == 1
