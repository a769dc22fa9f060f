"""The one "now" of rules that hang on the time of day (a daily-paced course's days opening).

Production reads the system clock; tests move time with ``travel_to`` instead of sleeping, and
every page, API operation and reminder that asks ``clock.now()`` sees the same moved time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

_frozen: list[datetime] = []


def now() -> datetime:
    """The current moment (aware, UTC), or the moment a test travelled to."""
    return _frozen[-1] if _frozen else timezone.now()


@contextmanager
def travel_to(moment: datetime) -> Iterator[None]:
    """Make ``now()`` answer ``moment`` (an aware datetime) inside the block."""
    if timezone.is_naive(moment):
        raise ValueError("travel_to needs an aware datetime")
    _frozen.append(moment)
    try:
        yield
    finally:
        _frozen.pop()
