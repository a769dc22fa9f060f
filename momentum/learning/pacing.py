"""When each day of a course opens for one learner: the one rule of pacing, used by the API, the pages
and the reminders.

A SELF_PACED course is open from enrolment. In a DAILY course, day N opens at local midnight, in the
learner's time zone, N-1 calendar days after the learner's start: the cohort's ``starts_on`` when the
learner is in a cohort, otherwise the calendar day of the enrolment in the learner's zone. Days are
counted on the calendar, not in 24-hour steps, so a daylight-saving switch moves no opening off
midnight. Preview lessons, admins, and learners an admin opened every day for are never locked.

Everything here is pure: the caller passes the moment (``momentum.lib.clock.now()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def day_opens_at(start: date, day: int, zone: ZoneInfo) -> datetime:
    """The moment (UTC) day ``day`` opens for a learner who starts on ``start`` in ``zone``.

    Where the local midnight does not exist (a zone that springs forward at 00:00), the day opens at
    the first moment of that date: ``zoneinfo`` reads the missing 00:00 with the offset before the
    switch, which lands on the new day's first instant.
    """
    local_midnight = datetime.combine(start + timedelta(days=day - 1), time.min, tzinfo=zone)
    return local_midnight.astimezone(UTC)


@dataclass(frozen=True)
class Schedule:
    """One learner's openings in one course; ``start`` None means every day is open."""

    start: date | None
    zone: ZoneInfo

    def opens_at(self, day: int) -> datetime | None:
        return None if self.start is None else day_opens_at(self.start, day, self.zone)

    def available_at(self, day: int, *, now: datetime, is_preview: bool = False) -> datetime | None:
        """When ``day`` opens, while it is still closed at ``now``; None once it is open."""
        if is_preview:
            return None
        opens = self.opens_at(day)
        return opens if opens is not None and opens > now else None

    def open_day(self, now: datetime) -> int | None:
        """The latest day open at ``now`` (0 before day 1 opens); None when every day is open."""
        if self.start is None:
            return None
        local_today = now.astimezone(self.zone).date()
        return max(0, (local_today - self.start).days + 1)


OPEN = Schedule(start=None, zone=ZoneInfo("UTC"))


def schedule(
    *, daily: bool, zone: ZoneInfo, enrolled_at: datetime | None, cohort_starts_on: date | None, all_open: bool
) -> Schedule:
    """The schedule of a learner: open unless the course is daily and nobody opened it for them."""
    if not daily or all_open:
        return Schedule(start=None, zone=zone)
    if cohort_starts_on is not None:
        return Schedule(start=cohort_starts_on, zone=zone)
    if enrolled_at is None:
        return Schedule(start=None, zone=zone)
    return Schedule(start=enrolled_at.astimezone(zone).date(), zone=zone)
