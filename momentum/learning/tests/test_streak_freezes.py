"""Streak freezes: one earned for every 7 days learned in a row, at most 2 held; a missed local day
spends one and the streak goes on. Derived from the days learned, so the same history always
reads the same (a freeze is spent once), across time zones and daylight-saving changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from momentum.accounts.models import User
from momentum.catalog.models import Course
from momentum.learning.actions import do_enroll, do_record_progress
from momentum.learning.streaks import streak
from momentum.lib.clock import travel_to
from tests.factories import make_course

D = date(2026, 5, 1)  # an ordinary day 1


def days(*numbers: int) -> list[date]:
    """Day numbers from D (1 = D) as dates."""
    return [D + timedelta(days=n - 1) for n in numbers]


def day(number: int) -> date:
    return D + timedelta(days=number - 1)


# --- The rule, on histories ----------------------------------------------------------------------


def test_seven_days_in_a_row_earn_a_freeze() -> None:
    assert streak(days(*range(1, 7)), day(6)).freezes_available == 0
    assert streak(days(*range(1, 8)), day(7)).freezes_available == 1


def test_no_more_than_two_freezes_are_held() -> None:
    assert streak(days(*range(1, 15)), day(14)).freezes_available == 2
    assert streak(days(*range(1, 22)), day(21)).freezes_available == 2


def test_a_missed_day_spends_a_freeze_and_the_streak_goes_on() -> None:
    run = streak(days(*range(1, 8), 9), day(9))  # day 8 missed
    assert (run.current, run.freezes_available, run.frozen_days) == (8, 0, (day(8),))
    assert run.longest == 8


def test_a_missed_day_without_a_freeze_ends_the_streak() -> None:
    run = streak(days(*range(1, 7), 8), day(8))  # 6 days: no freeze yet; day 7 missed
    assert (run.current, run.longest, run.frozen_days) == (1, 6, ())


def test_two_missed_days_need_two_freezes() -> None:
    two = streak(days(*range(1, 15), 17), day(17))  # 14 days: two freezes; days 15 and 16 missed
    assert (two.current, two.freezes_available, two.frozen_days) == (15, 0, (day(15), day(16)))
    one = streak(days(*range(1, 8), 10), day(10))  # one freeze for days 8 and 9
    assert (one.current, one.freezes_available) == (1, 0)


def test_today_is_not_missed_before_it_is_over() -> None:
    run = streak(days(*range(1, 8)), day(8))
    assert (run.current, run.freezes_available, run.frozen_days) == (7, 1, ())


def test_yesterday_missed_is_covered_while_today_is_still_to_do() -> None:
    run = streak(days(*range(1, 8)), day(9))  # day 8 missed, day 9 not over
    assert (run.current, run.freezes_available, run.frozen_days) == (7, 0, (day(8),))


def test_a_freeze_is_spent_once_however_often_and_whenever_the_streak_is_read() -> None:
    history = days(*range(1, 15), 16, 17, 18)  # two freezes; day 15 missed
    readings = [streak(history, day(n)) for n in (16, 16, 17, 18, 18)]
    assert [r.freezes_available for r in readings] == [1, 1, 1, 1, 1]
    assert {r.frozen_days for r in readings} == {(day(15),)}


def test_freezes_held_outlive_a_broken_streak() -> None:
    # 14 days (two freezes), then three days missed: two are covered, the third ends the run
    run = streak(days(*range(1, 15), 18), day(18))
    assert (run.current, run.freezes_available, run.longest) == (1, 0, 14)


# --- Through the learner's real days, time zones and daylight-saving changes --------------------------


@pytest.fixture
def long_course(db: None) -> Course:
    return make_course("Three weeks of drawing", duration_days=21)


def learn_on(user: User, course: Course, moments: list[datetime]) -> None:
    do_enroll(user, course, now=moments[0] - timedelta(hours=1))
    for lesson, moment in zip(course.lessons.order_by("day"), moments, strict=False):
        do_record_progress(user, lesson, completed=True, now=moment)


def at(zone: str, day_: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day_.year, day_.month, day_.day, hour, minute, tzinfo=ZoneInfo(zone))


@pytest.mark.django_db
def test_new_york_learner_keeps_the_streak_over_the_spring_change(
    api_as: Any, client: Client, learner: User, long_course: Course
) -> None:
    # given a learner in New York who learns at 21:00 (the next day in UTC) from 1 to 7 March 2026
    learner.timezone = "America/New_York"
    learner.save()
    learn_on(learner, long_course, [at("America/New_York", date(2026, 3, d), 21) for d in range(1, 8)])
    # when they miss Sunday 8 March (the clocks go forward: a 23-hour day) and learn on the 9th
    do_record_progress(
        learner, long_course.lessons.get(day=8), completed=True, now=at("America/New_York", date(2026, 3, 9), 21)
    )
    # then on the 9th, late in their evening, the freeze kept the streak
    with travel_to(at("America/New_York", date(2026, 3, 9), 23, 30)):
        stats = api_as(learner).get("/me/stats").json()
        client.force_login(learner)
        dashboard = client.get("/dashboard/").content.decode()
    assert (stats["current_streak_days"], stats["streak_freezes_available"]) == (8, 0)
    assert 'data-frozen-day="2026-03-08"' in dashboard
    assert "Freeze used, streak kept" in dashboard


@pytest.mark.django_db
def test_paris_learner_keeps_the_streak_over_the_autumn_change(api_as: Any, learner: User, long_course: Course) -> None:
    # given a learner in Paris who learns just after midnight (the evening before in UTC), 19-25 Oct 2026
    learner.timezone = "Europe/Paris"
    learner.save()
    learn_on(learner, long_course, [at("Europe/Paris", date(2026, 10, d), 0, 30) for d in range(19, 26)])
    # when they miss Monday 26 (the day after the clocks went back) and learn late on the 27th
    do_record_progress(
        learner, long_course.lessons.get(day=8), completed=True, now=at("Europe/Paris", date(2026, 10, 27), 23, 30)
    )
    me = api_as(learner)
    # then the streak went on through the frozen day, read on the 27th and again on the 28th
    with travel_to(at("Europe/Paris", date(2026, 10, 27), 23, 45)):
        on_27 = me.get("/me/stats").json()
    with travel_to(at("Europe/Paris", date(2026, 10, 28), 8, 0)):
        on_28 = me.get("/me/stats").json()
    assert (on_27["current_streak_days"], on_27["streak_freezes_available"]) == (8, 0)
    assert (on_28["current_streak_days"], on_28["streak_freezes_available"]) == (8, 0)


@pytest.mark.django_db
def test_the_same_moments_in_utc_would_have_broken_the_streak(api_as: Any, learner: User, long_course: Course) -> None:
    # the New York learner's 21:00 lessons are 02:00 UTC the next day: the local day is what counts
    learn_on(learner, long_course, [at("America/New_York", date(2026, 3, d), 21) for d in (1, 2, 3)])
    with travel_to(at("UTC", date(2026, 3, 4), 12)):
        assert api_as(learner).get("/me/stats").json()["current_streak_days"] == 3
    assert list(learner.lesson_progress.order_by("completed_on").values_list("completed_on", flat=True)) == [
        date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4),
    ]  # fmt: skip


@pytest.mark.django_db
def test_my_stats_say_how_many_freezes_are_held(api_as: Any, learner: User, long_course: Course) -> None:
    learn_on(learner, long_course, [at("UTC", day(n), 9) for n in range(1, 8)])
    with travel_to(at("UTC", day(7), 20)):
        stats = api_as(learner).get("/me/stats").json()
    assert (stats["current_streak_days"], stats["streak_freezes_available"]) == (7, 1)
