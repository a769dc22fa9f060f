"""Short, exact durations for people: "4 s", "1 min 12 s", "2 h 5 min" (timesince rounds to minutes)."""

from __future__ import annotations

from datetime import timedelta


def short_duration(elapsed: timedelta) -> str:
    seconds = max(0, round(elapsed.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    return f"{seconds} s"
