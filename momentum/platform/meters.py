"""What the platform counts, without naming who keeps the count.

The request middleware, durable workflows and the revision cache measure what they do; the
metrics themselves (Prometheus) belong to the app that exports them. That app installs a ``Meter``
when it is ready (``install``); until then, and in a process without it, nothing is counted.
"""

from __future__ import annotations


class Meter:
    """Counts nothing: the stand-in until an app installs a real meter."""

    def http_in_flight(self, change: int) -> None:
        """One more (+1) or one fewer (-1) request being answered now."""

    def http_answered(self, method: str, route: str, status: int, seconds: float) -> None:
        """A request answered with ``status`` after ``seconds`` (to the first byte)."""

    def workflow_started(self, name: str) -> None:
        """A workflow run began (a recovered one counts as a new start)."""

    def workflow_ended(self, name: str, outcome: str, seconds: float) -> None:
        """A workflow run ended, ``outcome`` "succeeded" or "failed"."""

    def step_ended(self, name: str, outcome: str, seconds: float) -> None:
        """A workflow step ended, ``outcome`` "succeeded" or "failed"."""

    def cache_lookup(self, region: str, *, hit: bool) -> None:
        """One read of a cache region, answered from the cache (hit) or not."""

    def flush(self) -> None:
        """Write what this process has counted but not yet written (a meter may buffer)."""


_installed: list[Meter] = [Meter()]


def install(meter: Meter | None) -> None:
    """Count with ``meter`` from now on (``None``: count nothing again)."""
    _installed[0] = meter if meter is not None else Meter()


def meter() -> Meter:
    """The installed meter (read at each use, so one installed later still counts)."""
    return _installed[0]
