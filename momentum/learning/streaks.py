"""Streaks: consecutive calendar days, in the learner's time zone, with at least one completed lesson."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from momentum.lib import clock

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
    return (moment or clock.now()).astimezone(zone_of(user)).date()


# Streak freezes: one earned for every 7 days learned in a row, at most 2 held.
FREEZE_EVERY_DAYS = 7
MAX_FREEZES = 2


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int
    freezes_available: int = 0
    # The missed days of the current streak a freeze covered, oldest first ("Freeze used, streak kept").
    frozen_days: tuple[date, ...] = ()


def streak(days: Iterable[date], today: date) -> Streak:
    """Streaks with freezes, derived from the days with a completed lesson and nothing else.

    Walks the learner's days from the first one to yesterday: a day learned extends the run (and
    every 7th day learned in a run earns a freeze, up to 2 held); a missed day spends a held freeze
    when a run is going (the run goes on, not longer) and ends the run otherwise. Today counts when
    learned and is never missed yet. ``current`` is the run still going (through today, yesterday or
    a freeze), ``longest`` the longest run; a run's length counts days learned, not frozen days.

    Being a function of the history, it spends a freeze once and the same one on every reading:
    there is no stored balance to get out of step (docs/adr/0011-streak-freezes-are-derived.md).
    """
    active = sorted(day for day in set(days) if day <= today)
    if not active:
        return Streak(current=0, longest=0)
    learned = set(active)
    run = toward = held = longest = 0
    frozen: list[date] = []
    day = active[0]
    while day <= today:
        if day in learned:
            run += 1
            toward += 1
            if toward == FREEZE_EVERY_DAYS:
                toward = 0
                held = min(MAX_FREEZES, held + 1)
        elif day == today:
            pass  # today is not over: not missed yet
        elif run and held:
            held -= 1
            frozen.append(day)
        else:
            run = toward = 0
            frozen = []
        longest = max(longest, run)
        day += ONE_DAY
    return Streak(current=run, longest=longest, freezes_available=held, frozen_days=tuple(frozen))
