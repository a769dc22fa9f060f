"""Queue threads that wake when work is queued, for the workflow engine a test process runs.

DBOS gives every queue a thread that polls its queue (two queries a poll). At the 0.1 s the test
profile used to poll, the fifteen queues cost a pytest worker a fifth of a core doing nothing
(measured, `dbos_idle` below), in every worker, from the first browser or workflow test to the
end of the session. In this process the queue threads now rest at the profile's
QUEUE_POLL_SECONDS (2 s) and wake at once when a workflow is queued or ends (the two moments new
work becomes ready), so a test waits no longer for a workflow than before and an idle worker
polls every two seconds.

Only the test process does this: a real worker polls as configured (a web process that queues a
workflow is another process, which no in-process signal reaches).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_wake = threading.Condition()


class _WakingStopEvent:
    """The queue threads' stop event, whose timed waits also end when work may be ready.

    A wait that ends early returns False, as a timeout does: the queue thread then polls."""

    def __init__(self, stop: threading.Event) -> None:
        self._stop = stop

    def is_set(self) -> bool:
        return self._stop.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        if timeout is None:
            return self._stop.wait()
        with _wake:
            if not self._stop.is_set():
                _wake.wait(timeout)
        return self._stop.is_set()


def wake() -> None:
    with _wake:
        _wake.notify_all()


def _then_wake(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        finally:
            wake()

    return run


@contextmanager
def queue_threads_wake_on_new_work() -> Iterator[None]:
    """While this holds, a DBOS launched here wakes its queue threads when a workflow is queued
    (by this process's client or by a workflow) or ends (freeing a concurrency slot)."""
    import dbos._dbos
    import pytest
    from dbos._queue import queue_thread
    from dbos._sys_db import SystemDatabase

    def waking_queue_thread(stop_event: threading.Event, engine: Any) -> None:
        stop = stop_event.set

        def set_and_wake() -> None:  # DBOS.destroy sets the event itself: the threads must hear it
            stop()
            wake()

        stop_event.set = set_and_wake  # type: ignore[method-assign]
        queue_thread(_WakingStopEvent(stop_event), engine)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dbos._dbos, "queue_thread", waking_queue_thread)
        for name in ("init_workflow", "init_child_workflow", "init_workflows", "update_workflow_outcome"):
            patch.setattr(SystemDatabase, name, _then_wake(getattr(SystemDatabase, name)))
        yield
