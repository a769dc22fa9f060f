"""Durations as the job page shows them: seconds under a minute, minutes and seconds under an hour."""

from __future__ import annotations

from datetime import timedelta

import pytest

from momentum.lib.durations import short_duration


@pytest.mark.parametrize(
    ("elapsed", "shown"),
    [
        (timedelta(seconds=0.4), "0 s"),
        (timedelta(seconds=4.2), "4 s"),
        (timedelta(seconds=60), "1 min"),
        (timedelta(seconds=72), "1 min 12 s"),
        (timedelta(hours=2, minutes=5, seconds=9), "2 h 5 min"),
        (timedelta(hours=3), "3 h"),
    ],
)
def test_a_duration_reads_in_seconds_minutes_and_hours(elapsed: timedelta, shown: str) -> None:
    assert short_duration(elapsed) == shown
