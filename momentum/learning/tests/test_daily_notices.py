"""The daily notices of the hourly reminder workflow: "today's lesson is open" and "your cohort starts
tomorrow" at the learner's local morning, "your streak is at risk" at their evening; at most one of
each per local day, and only on the channels the learner chose."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dbos import DBOS

from momentum.accounts.actions import do_set_notification_preferences
from momentum.accounts.models import Channel, Notification, User
from momentum.catalog.models import Course, Pacing
from momentum.learning import reminders
from momentum.learning.actions import do_create_cohort, do_enroll, do_record_progress
from momentum.learning.models import ReminderDelivery
from momentum.learning.workflows import daily_reminders
from tests.factories import make_course

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
MORNING = datetime(2027, 1, 13, 8, 0, tzinfo=UTC)  # 08:00, the default morning hour, in UTC
EVENING = datetime(2027, 1, 13, 20, 0, tzinfo=UTC)  # 20:00, the default streak-at-risk hour


DAILY_KINDS = ("day_opened", "cohort_starting", "streak_at_risk")


def daily_notices(user: User) -> Any:
    return Notification.objects.filter(user=user, kind__in=DAILY_KINDS).order_by("pk")


def titles(user: User) -> list[str]:
    """The daily notices' titles (learning also earns badges, which notify too)."""
    return list(daily_notices(user).values_list("title", flat=True))


@pytest.fixture
def daily(db: None) -> Course:
    return make_course("Daily drawing", duration_days=7, pacing=Pacing.DAILY)


@pytest.fixture
def two_days_in(learner: User, daily: Course) -> User:
    """Enrolled two days ago, days 1 and 2 done: day 3 opens this morning."""
    do_enroll(learner, daily, now=MORNING - timedelta(days=2, hours=1))
    for number in (1, 2):
        do_record_progress(
            learner, daily.lessons.get(day=number), completed=True, now=MORNING - timedelta(days=3 - number)
        )
    return learner


# --- Day opened ---------------------------------------------------------------------------------------


def test_the_day_that_opened_this_morning_is_announced_once(two_days_in: User) -> None:
    assert reminders.day_opened_learner_ids(MORNING) == [two_days_in.pk]
    assert reminders.send_day_opened(two_days_in.pk, MORNING) is True
    assert reminders.send_day_opened(two_days_in.pk, MORNING + timedelta(minutes=5)) is False
    assert reminders.day_opened_learner_ids(MORNING) == []
    [notice] = daily_notices(two_days_in)
    assert (notice.kind, notice.title, notice.url) == (
        "day_opened", "Day 3 of Daily drawing is open", "/courses/daily-drawing/day/3/",
    )  # fmt: skip


def test_the_day_is_announced_at_the_learners_own_morning(two_days_in: User) -> None:
    two_days_in.timezone = "America/New_York"
    two_days_in.save()
    assert reminders.day_opened_learner_ids(MORNING) == []  # 03:00 in New York
    assert reminders.day_opened_learner_ids(MORNING + timedelta(hours=5)) == [two_days_in.pk]  # 08:00 EST


def test_a_self_paced_course_opens_no_day(learner: User) -> None:
    do_enroll(learner, make_course("Self-paced drawing"), now=MORNING - timedelta(days=2))
    assert reminders.day_opened_learner_ids(MORNING) == []
    assert reminders.send_day_opened(learner.pk, MORNING) is False


def test_a_learner_behind_in_a_daily_course_is_not_told_of_a_new_day(learner: User, daily: Course) -> None:
    do_enroll(learner, daily, now=MORNING - timedelta(days=2, hours=1))  # days 1 and 2 still to do
    assert reminders.send_day_opened(learner.pk, MORNING) is False
    assert titles(learner) == []


# --- Cohort starting ------------------------------------------------------------------------------------


def test_a_cohort_is_announced_the_morning_before_it_starts(learner: User, daily: Course) -> None:
    cohort = do_create_cohort(daily, name="January", starts_on=MORNING.date() + timedelta(days=1))
    do_enroll(learner, daily, cohort_id=cohort.pk, now=MORNING - timedelta(days=5))
    assert reminders.cohort_starting_learner_ids(MORNING - timedelta(days=1)) == []  # two days before
    assert reminders.cohort_starting_learner_ids(MORNING) == [learner.pk]
    assert reminders.send_cohort_starting(learner.pk, MORNING) is True
    assert reminders.send_cohort_starting(learner.pk, MORNING) is False
    assert titles(learner) == ["January of Daily drawing starts tomorrow"]


# --- Streak at risk -------------------------------------------------------------------------------------


@pytest.fixture
def learned_yesterday(learner: User) -> User:
    course = make_course("Evening sketches")
    do_enroll(learner, course, now=EVENING - timedelta(days=3))
    do_record_progress(learner, course.lessons.get(day=1), completed=True, now=EVENING - timedelta(days=2))
    do_record_progress(learner, course.lessons.get(day=2), completed=True, now=EVENING - timedelta(days=1))
    return learner


def test_a_streak_with_nothing_learned_today_is_at_risk_in_the_evening(learned_yesterday: User) -> None:
    assert reminders.streak_at_risk_learner_ids(MORNING) == []
    assert reminders.streak_at_risk_learner_ids(EVENING) == [learned_yesterday.pk]
    assert reminders.send_streak_at_risk(learned_yesterday.pk, EVENING) is True
    assert reminders.send_streak_at_risk(learned_yesterday.pk, EVENING) is False
    assert titles(learned_yesterday) == ["Your 2-day streak is at risk"]
    assert "No streak freeze is left" in daily_notices(learned_yesterday).get().body


def test_no_streak_at_risk_once_todays_lesson_is_done(learned_yesterday: User) -> None:
    course = Course.objects.get(slug="evening-sketches")
    do_record_progress(learned_yesterday, course.lessons.get(day=3), completed=True, now=EVENING - timedelta(hours=2))
    assert reminders.streak_at_risk_learner_ids(EVENING) == []
    assert reminders.send_streak_at_risk(learned_yesterday.pk, EVENING) is False


def test_no_streak_at_risk_without_a_streak(learner: User) -> None:
    course = make_course("Long ago")
    do_enroll(learner, course, now=EVENING - timedelta(days=4))
    do_record_progress(learner, course.lessons.get(day=1), completed=True, now=EVENING - timedelta(days=3))
    assert reminders.send_streak_at_risk(learner.pk, EVENING) is False


def test_a_kind_turned_off_in_the_app_leaves_no_notice_and_is_not_retried(learned_yesterday: User) -> None:
    do_set_notification_preferences(learned_yesterday, {"streak_at_risk": {Channel.EMAIL}})
    reminders.send_streak_at_risk(learned_yesterday.pk, EVENING)
    assert titles(learned_yesterday) == []
    assert ReminderDelivery.objects.filter(user=learned_yesterday, kind="streak_at_risk").count() == 1


# --- The hourly workflow ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("workflows")
def test_the_hourly_workflow_sends_the_mornings_notices(learner: User, stranger: User, daily: Course) -> None:
    do_enroll(learner, daily, now=MORNING - timedelta(days=1, hours=1))
    do_record_progress(learner, daily.lessons.get(day=1), completed=True, now=MORNING - timedelta(days=1))
    cohort = do_create_cohort(daily, name="January", starts_on=MORNING.date() + timedelta(days=1))
    do_enroll(stranger, daily, cohort_id=cohort.pk, now=MORNING - timedelta(days=3))
    assert DBOS.start_workflow(daily_reminders, MORNING, None).get_result() == 2
    assert titles(learner) == ["Day 2 of Daily drawing is open"]
    assert titles(stranger) == ["January of Daily drawing starts tomorrow"]
    assert DBOS.start_workflow(daily_reminders, MORNING, None).get_result() == 0  # a repeated run sends nothing
