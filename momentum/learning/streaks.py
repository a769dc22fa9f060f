"""Streaks: consecutive calendar days, in the learner's time zone, with at least one completed lesson."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

ONE_DAY = timedelta(days=1)


def zone_named(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; UTC when it is empty or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def zone_of(user: Any) -> ZoneInfo:
    """The learner's time zone (User.timezone)."""
    return zone_named(getattr(user, "timezone", ""))


def local_date(user: Any, moment: datetime | None = None) -> date:
    """The learner's calendar day at ``moment`` (now by default)."""
    return (moment or timezone.now()).astimezone(zone_of(user)).date()


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int


def streak(days: Iterable[date], today: date) -> Streak:
    """``current`` counts back from today, or from yesterday while today's lesson is still to do."""
    active = set(days)
    longest = run = 0
    previous: date | None = None
    for day in sorted(active):
        run = run + 1 if previous is not None and day - previous == ONE_DAY else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day = today if today in active else today - ONE_DAY
    while day in active:
        current += 1
        day -= ONE_DAY
    return Streak(current=current, longest=longest)
