"""The pacing rule (momentum/learning/pacing.py): when day N opens, in the learner's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from momentum.learning.pacing import Schedule, day_opens_at, schedule

NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")


def test_day_one_opens_at_the_local_midnight_of_the_start() -> None:
    assert day_opens_at(date(2026, 12, 7), 1, KOLKATA) == datetime(2026, 12, 6, 18, 30, tzinfo=UTC)


def test_each_day_opens_at_local_midnight_across_the_spring_forward_in_new_york() -> None:
    # 2026-03-08 02:00 EST -> 03:00 EDT
    start = date(2026, 3, 7)
    openings = [day_opens_at(start, day, NEW_YORK) for day in (1, 2, 3)]
    assert openings == [
        datetime(2026, 3, 7, 5, tzinfo=UTC),  # EST, UTC-5
        datetime(2026, 3, 8, 5, tzinfo=UTC),  # still EST at midnight
        datetime(2026, 3, 9, 4, tzinfo=UTC),  # EDT, UTC-4: 23 hours after day 2, not 24
    ]
    assert all(moment.astimezone(NEW_YORK).time().hour == 0 for moment in openings)


def test_each_day_opens_at_local_midnight_across_the_fall_back_in_new_york() -> None:
    # 2026-11-01 02:00 EDT -> 01:00 EST: the day that has 25 hours
    assert day_opens_at(date(2026, 10, 31), 2, NEW_YORK) == datetime(2026, 11, 1, 4, tzinfo=UTC)
    assert day_opens_at(date(2026, 10, 31), 3, NEW_YORK) == datetime(2026, 11, 2, 5, tzinfo=UTC)


def test_a_day_whose_midnight_does_not_exist_opens_at_its_first_moment() -> None:
    # Santiago springs forward at 00:00 on 2026-09-06: the day starts at 01:00 local (04:00 UTC)
    santiago = ZoneInfo("America/Santiago")
    opens = day_opens_at(date(2026, 9, 5), 2, santiago)
    assert opens == datetime(2026, 9, 6, 4, tzinfo=UTC)
    assert opens.astimezone(santiago).date() == date(2026, 9, 6)


def test_a_learner_starts_on_the_calendar_day_of_enrolment_in_their_zone() -> None:
    # 20:00 UTC on 6 December is already 7 December in Kolkata
    mine = schedule(
        daily=True, zone=KOLKATA, enrolled_at=datetime(2026, 12, 6, 20, tzinfo=UTC), cohort_starts_on=None,
        all_open=False,
    )  # fmt: skip
    assert mine.start == date(2026, 12, 7)


def test_a_cohort_start_wins_over_the_enrolment_date() -> None:
    mine = schedule(
        daily=True, zone=NEW_YORK, enrolled_at=datetime(2026, 12, 1, tzinfo=UTC), cohort_starts_on=date(2026, 12, 14),
        all_open=False,
    )  # fmt: skip
    assert mine.start == date(2026, 12, 14)


def test_self_paced_and_opened_courses_have_every_day_open() -> None:
    enrolled_at = datetime(2026, 12, 6, tzinfo=UTC)
    for daily, all_open in ((False, False), (True, True)):
        mine = schedule(daily=daily, zone=KOLKATA, enrolled_at=enrolled_at, cohort_starts_on=None, all_open=all_open)
        assert mine.available_at(21, now=enrolled_at) is None
        assert mine.open_day(enrolled_at) is None


def test_a_closed_day_says_when_it_opens_and_an_open_one_says_nothing() -> None:
    mine = Schedule(start=date(2026, 12, 7), zone=KOLKATA)
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)  # 17:30 on day 1 in Kolkata
    assert mine.available_at(1, now=now) is None
    assert mine.available_at(2, now=now) == datetime(2026, 12, 7, 18, 30, tzinfo=UTC)
    assert mine.available_at(2, now=now, is_preview=True) is None
    assert mine.open_day(now) == 1
