"""The daily rollup: incremental, idempotent, and the figures read from it are exact at any time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from momentum.analytics.actions import do_roll_up
from momentum.analytics.models import DailyMetric, EventKind, LearningEvent
from momentum.analytics.queries import Snapshot
from momentum.analytics.tests.happenings import days_ago, event, job
from momentum.catalog.tests.authoring import published_course

pytestmark = pytest.mark.django_db


def site_value(metric: str, ago: int) -> int:
    row = DailyMetric.objects.filter(metric=metric, course__isnull=True, date=days_ago(ago).date()).first()
    return int(row.value) if row else 0


def test_the_overview_counts_events_before_any_rollup_has_run(admin, learner) -> None:
    course = published_course()
    event(EventKind.ENROLLED, user=learner, course=course, ago=3)

    overview = Snapshot().overview()

    assert overview["users_total"] == 2  # the admin and the learner signed up
    assert overview["enrollments_total"] == 1
    assert not DailyMetric.objects.exists()


def test_a_rollup_puts_each_event_on_its_own_day_and_the_figures_do_not_change(admin, learner) -> None:
    course = published_course()
    event(EventKind.ENROLLED, user=learner, course=course, ago=40)
    event(EventKind.COURSE_COMPLETED, user=learner, course=course, ago=33)
    before = Snapshot().overview()

    do_roll_up()

    assert site_value("enrollments", 40) == 1
    assert site_value("completions", 33) == 1
    assert DailyMetric.objects.get(metric="enrollments", course=course).value == 1
    assert Snapshot().overview() == before


def test_after_a_rollup_the_figures_no_longer_need_the_raw_events(admin, learner) -> None:
    course = published_course()
    event(EventKind.ENROLLED, user=learner, course=course, ago=2)
    event(EventKind.LESSON_COMPLETED, user=learner, course=course, lesson=course.lessons.get(day=1), ago=1)
    before = Snapshot().overview()
    do_roll_up()

    LearningEvent.objects.all().delete()

    assert Snapshot().overview() == before


def test_running_the_rollup_again_changes_nothing(admin, learner) -> None:
    course = published_course()
    event(EventKind.ENROLLED, user=learner, course=course, ago=5)
    do_roll_up()
    rows = set(DailyMetric.objects.values_list("date", "metric", "course_id", "value"))

    report = do_roll_up()

    assert report.events_read == 0
    assert set(DailyMetric.objects.values_list("date", "metric", "course_id", "value")) == rows


def test_a_backdated_event_recorded_after_a_rollup_is_counted_on_its_day(admin, learner) -> None:
    course = published_course()
    do_roll_up()
    event(EventKind.ENROLLED, user=learner, course=course, ago=20)
    assert Snapshot().overview()["enrollments_total"] == 1  # the tail, before the next pass

    do_roll_up()

    assert site_value("enrollments", 20) == 1
    assert Snapshot().overview()["enrollments_total"] == 1


def test_only_the_days_with_new_events_and_the_last_two_days_are_recomputed(admin, learner) -> None:
    course = published_course()
    event(EventKind.ENROLLED, user=learner, course=course, ago=30)
    do_roll_up()
    event(EventKind.ENROLLED, user=admin, course=course, ago=12)

    report = do_roll_up()

    assert report.events_read == 1
    assert report.days_recomputed == 3  # 12 days ago, yesterday, today


def test_active_people_are_distinct_within_the_last_seven_days(admin, learner, premium_learner, stranger) -> None:
    course = published_course()
    LearningEvent.objects.filter(kind=EventKind.SIGNED_UP).update(occurred_at=days_ago(30))
    event(EventKind.LESSON_VIEWED, user=learner, course=course, ago=6)  # inside the window
    event(EventKind.LESSON_VIEWED, user=learner, course=course, ago=1)  # the same person again
    event(EventKind.LESSON_VIEWED, user=premium_learner, course=course, ago=7)  # one day too old
    do_roll_up()
    event(EventKind.LESSON_VIEWED, user=learner, course=course, ago=0)  # in the tail, already counted
    event(EventKind.ENROLLED, user=stranger, course=course, ago=0)  # in the tail, new

    assert Snapshot().overview()["users_active_7d"] == 2


def test_revenue_is_succeeded_payments_minus_refunds(admin, learner) -> None:
    course = published_course(is_premium=True, price_cents=2900)
    event(EventKind.PAYMENT_SUCCEEDED, user=learner, course=course, value=2900, ago=4)
    event(EventKind.PAYMENT_SUCCEEDED, user=admin, course=course, value=2900, ago=3)
    do_roll_up()
    event(EventKind.PAYMENT_REFUNDED, user=admin, course=course, value=2900, ago=0)

    assert Snapshot().overview()["revenue_cents_total"] == 2900


def test_the_completion_rate_is_completions_over_enrolments(admin, learner, premium_learner, stranger) -> None:
    course = published_course()
    for person in (learner, premium_learner, stranger):
        event(EventKind.ENROLLED, user=person, course=course, ago=9)
    event(EventKind.UNENROLLED, user=stranger, course=course, ago=8)
    event(EventKind.COURSE_COMPLETED, user=learner, course=course, ago=2)

    overview = Snapshot().overview()

    assert overview["enrollments_total"] == 2
    assert overview["completions_total"] == 1
    assert overview["completion_rate"] == 0.5


def test_generation_figures_follow_jobs_and_their_provider_calls(admin) -> None:
    job(admin, status="SUCCEEDED", ago=10, cost="0.125")
    running = job(admin, status="RUNNING", ago=0, cost="0.5")
    do_roll_up()
    running.status = "FAILED"
    running.save(update_fields=["status", "updated_at"])

    figures = Snapshot().overview()["generation"]

    assert figures == {"jobs_total": 2, "succeeded": 1, "failed": 1, "cost_usd_total": 0.625}


def test_a_job_that_changes_long_after_a_pass_is_counted_once_with_its_new_status(admin) -> None:
    old = job(admin, status="RUNNING", ago=5)
    do_roll_up(now=timezone.now() - timedelta(hours=3))  # a pass three hours ago, whatever the time of day
    old.status = "SUCCEEDED"
    old.save(update_fields=["status", "updated_at"])

    assert Snapshot().overview()["generation"]["succeeded"] == 1
    do_roll_up()
    assert Snapshot().overview()["generation"] == {"jobs_total": 1, "succeeded": 1, "failed": 0, "cost_usd_total": 0.0}


def test_lesson_completions_are_counted_per_course_day(admin, learner, premium_learner) -> None:
    course = published_course()
    for person in (learner, premium_learner):
        event(EventKind.LESSON_COMPLETED, user=person, course=course, lesson=course.lessons.get(day=1), ago=3)
    event(EventKind.LESSON_COMPLETED, user=learner, course=course, lesson=course.lessons.get(day=2), ago=2)
    do_roll_up()

    totals = Snapshot().course_totals(["day_completions:1", "day_completions:2"])

    assert totals[(course.pk, "day_completions:1")] == 2
    assert totals[(course.pk, "day_completions:2")] == 1
