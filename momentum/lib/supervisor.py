"""A process supervisor for `momentum serve`: its children are restarted when they die.

    Supervisor(children, policy, state_file=...).run()   until SIGTERM/SIGINT, or a crash loop

- A child that exits while the supervisor is not stopping is restarted after an exponential
  back-off with jitter: ``first_delay * 2**n`` capped at ``max_delay``, where ``n`` counts the
  restarts of that kind of process within the window, then scaled by a random factor in
  [0.5, 1) so that children that died together do not come back together. A process that has
  run quietly for a whole window starts again from ``first_delay``.
- Every restart is reported (``on_restart``: the metric and the log line, with the exit status).
  More than ``alarm_after`` restarts of one kind in the window calls ``on_alarm``; more than
  ``give_up_after`` is a crash loop: the supervisor stops everything and says why.
- A child may say when it is ready (``signals_ready``): it gets a pipe in ``MOMENTUM_READY_FD``
  and writes to it; until then it counts as down (the workflow worker: DBOS launched).
- The supervisor writes what it sees to a JSON state file (atomically), which the web
  processes read for ``/readyz`` and the in-app alarm reads for recent restarts.
- Stopping is in order: web processes first (no new requests), then the worker (its running
  steps get their grace period), each whole process group, SIGKILL after the grace.

Clock, waiting and randomness are injected, so that tests drive the back-off without sleeping.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from momentum.lib.processes import is_running

READY_FD_VARIABLE = "MOMENTUM_READY_FD"
STATE_FILE_VARIABLE = "MOMENTUM_SUPERVISOR_STATE"
STATE_FILE_PATTERN = "serve-*.json"

RUNNING, STARTING, RESTARTING, STOPPED = "running", "starting", "restarting", "stopped"


@dataclass(frozen=True)
class Policy:
    first_delay: float = 1.0
    max_delay: float = 30.0
    window_seconds: float = 600.0
    alarm_after: int = 3  # more restarts than this in the window fire the alarm
    give_up_after: int = 10  # more than this: a crash loop, the supervisor gives up

    def delay(self, recent_restarts: int, jitter: float) -> float:
        """Seconds before the next restart, given the restarts already in the window and a random [0, 1)."""
        base: float = min(self.max_delay, self.first_delay * 2.0 ** max(0, recent_restarts - 1))
        return base * (0.5 + jitter / 2)


@dataclass(frozen=True)
class ChildSpec:
    name: str  # "worker", "web-1"
    kind: str  # what restarts are counted under: "worker", "web"
    argv: Sequence[str]
    signals_ready: bool = False


@dataclass(frozen=True)
class Restart:
    name: str
    kind: str
    pid: int
    exit_status: int
    delay: float
    recent: int  # restarts of this kind within the window, this one included


@dataclass
class _Child:
    spec: ChildSpec
    process: subprocess.Popen[bytes] | None = None
    state: str = STOPPED
    since: float = 0.0  # wall clock
    restart_at: float = 0.0  # monotonic
    last_exit: int | None = None
    ready_fd: int | None = None


def describe_status(status: int) -> str:
    """An exit status as people read it: ``-9 (SIGKILL)``, ``1``."""
    if status < 0:
        with contextlib.suppress(ValueError):
            return f"{status} ({signal.Signals(-status).name})"
    return str(status)


@dataclass
class Clock:
    monotonic: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time


@dataclass
class Supervisor:
    children: Sequence[ChildSpec]
    policy: Policy = field(default_factory=Policy)
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: str | None = None
    state_file: Path | None = None
    stop_grace: float = 15.0
    tick: float = 0.5
    clock: Clock = field(default_factory=Clock)
    jitter: Callable[[], float] = random.random  # back-off jitter, not a secret
    on_restart: Callable[[Restart], None] = lambda restart: None
    on_alarm: Callable[[str, int], None] = lambda kind, recent: None
    on_tick: Callable[[], None] = lambda: None
    stopping: threading.Event = field(default_factory=threading.Event)
    gave_up: str = ""

    def __post_init__(self) -> None:
        self._children = {spec.name: _Child(spec) for spec in self.children}
        self._restarts: dict[str, deque[float]] = {}

    # --- the loop ---------------------------------------------------------------------------

    def run(self) -> int:
        """Supervise until asked to stop (0) or a crash loop (1); everything is stopped on return."""
        self.start()
        try:
            while not self.stopping.is_set():
                self.poll()
                if self.gave_up:
                    break
                self.on_tick()
                self.stopping.wait(self.tick)
        finally:
            self.stop()
        return 1 if self.gave_up else 0

    def start(self) -> None:
        for child in self._children.values():
            self._spawn(child)
        self._write_state()

    def poll(self) -> None:
        """One look at every child: notice exits and readiness, restart those whose back-off is over."""
        changed = False
        for child in self._children.values():
            if child.process is not None and child.state in (RUNNING, STARTING):
                status = child.process.poll()
                if status is not None:
                    self._exited(child, child.process, status)
                    changed = True
                    if self.gave_up:
                        break
                    continue
            if child.state == STARTING and self._has_signalled_ready(child):
                child.state, child.since = RUNNING, self.clock.wall()
                changed = True
            elif child.state == RESTARTING and self.clock.monotonic() >= child.restart_at:
                self._spawn(child)
                changed = True
        if changed:
            self._write_state()

    def stop(self) -> None:
        """Web processes first, then the worker: each group gets SIGTERM, then SIGKILL after the grace."""
        self.stopping.set()
        running = [child for child in self._children.values() if child.process is not None]
        for kind_is_worker in (False, True):
            batch = [child for child in running if (child.spec.kind == "worker") == kind_is_worker]
            _stop_groups([child.process for child in batch if child.process is not None], self.stop_grace)
            for child in batch:
                child.state = STOPPED
                self._close_ready(child)
        self._write_state()

    # --- restarts ---------------------------------------------------------------------------

    def recent_restarts(self, kind: str) -> int:
        times = self._restarts.get(kind, deque())
        horizon = self.clock.wall() - self.policy.window_seconds
        while times and times[0] < horizon:
            times.popleft()
        return len(times)

    def _exited(self, child: _Child, process: subprocess.Popen[bytes], status: int) -> None:
        pid = process.pid
        _stop_groups([process], 0)  # whatever it started goes with it
        self._close_ready(child)
        child.last_exit, child.since = status, self.clock.wall()
        kind = child.spec.kind
        self._restarts.setdefault(kind, deque()).append(self.clock.wall())
        recent = self.recent_restarts(kind)
        if recent > self.policy.give_up_after:
            child.state = STOPPED
            minutes = self.policy.window_seconds / 60
            self.gave_up = (
                f"the {kind} process {child.spec.name} exited {recent} times in {minutes:g} min "
                f"(last exit status {describe_status(status)}), more than the {self.policy.give_up_after} "
                "restarts allowed: a crash loop; giving up"
            )
            self.on_restart(Restart(child.spec.name, kind, pid, status, -1.0, recent))
            return
        delay = self.policy.delay(recent, self.jitter())
        child.state, child.restart_at = RESTARTING, self.clock.monotonic() + delay
        self.on_restart(Restart(child.spec.name, kind, pid, status, delay, recent))
        if recent > self.policy.alarm_after:
            self._write_state()  # the alarm reads the restarts from the state file
            self.on_alarm(kind, recent)

    def _spawn(self, child: _Child) -> None:
        env = dict(self.env)
        pass_fds: tuple[int, ...] = ()
        write_fd = None
        if child.spec.signals_ready:
            read_fd, write_fd = os.pipe()
            os.set_blocking(read_fd, False)
            child.ready_fd = read_fd
            env[READY_FD_VARIABLE] = str(write_fd)
            pass_fds = (write_fd,)
        if self.state_file is not None:
            env[STATE_FILE_VARIABLE] = str(self.state_file)
        try:
            child.process = subprocess.Popen(  # noqa: S603  (our own commands)
                list(child.spec.argv), env=env, cwd=self.cwd, start_new_session=True, pass_fds=pass_fds
            )
        finally:
            if write_fd is not None:
                os.close(write_fd)
        child.state = STARTING if child.spec.signals_ready else RUNNING
        child.since = self.clock.wall()

    def _has_signalled_ready(self, child: _Child) -> bool:
        if child.ready_fd is None:
            return True
        try:
            signalled = bool(os.read(child.ready_fd, 64))
        except BlockingIOError:
            return False
        if signalled:
            self._close_ready(child)
        return signalled

    @staticmethod
    def _close_ready(child: _Child) -> None:
        if child.ready_fd is not None:
            with contextlib.suppress(OSError):
                os.close(child.ready_fd)
            child.ready_fd = None

    # --- the state file -----------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "updated_at": self.clock.wall(),
            "window_seconds": self.policy.window_seconds,
            "gave_up": self.gave_up,
            "children": {
                name: {
                    "kind": child.spec.kind,
                    "state": child.state,
                    "pid": child.process.pid if child.process is not None and child.state != STOPPED else None,
                    "since": child.since,
                    "last_exit": child.last_exit,
                }
                for name, child in self._children.items()
            },
            "restarts": {kind: list(times) for kind, times in self._restarts.items() if self.recent_restarts(kind)},
        }

    def _write_state(self) -> None:
        if self.state_file is None:
            return
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        staging = self.state_file.with_suffix(".tmp")
        staging.write_text(json.dumps(self.state()), encoding="utf-8")
        os.replace(staging, self.state_file)


def _stop_groups(processes: Sequence[subprocess.Popen[bytes]], grace: float) -> None:
    """SIGTERM to each process group, SIGKILL to what is left after ``grace`` (granian's workers
    can outlive their master, so the whole group goes)."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGTERM if process.poll() is None else signal.SIGKILL)
    deadline = time.monotonic() + grace
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
    for process in processes:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- Readers (web processes, the in-app alarm) --------------------------------------------------


def read_state(path: str | Path | None) -> dict[str, Any] | None:
    """The state a supervisor last wrote, or None (no supervisor, or not written yet)."""
    if not path:
        return None
    try:
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


@dataclass(frozen=True)
class RecentRestarts:
    kind: str
    count: int
    last_exit: int | None


def recent_restarts(run_dir: Path, window_seconds: float, now: float) -> list[RecentRestarts]:
    """Restarts within the window, by kind of process, over every supervisor's state file in ``run_dir``."""
    counts: dict[str, int] = {}
    last_exit: dict[str, tuple[float, int | None]] = {}
    for path in sorted(run_dir.glob(STATE_FILE_PATTERN)):
        state = read_state(path) or {}
        for kind, times in state.get("restarts", {}).items():
            counts[kind] = counts.get(kind, 0) + sum(1 for moment in times if moment >= now - window_seconds)
        for child in state.get("children", {}).values():
            if (
                child.get("last_exit") is not None
                and child.get("since", 0) >= last_exit.get(child["kind"], (0, None))[0]
            ):
                last_exit[child["kind"]] = (child["since"], child["last_exit"])
    return [
        RecentRestarts(kind, count, last_exit.get(kind, (0, None))[1])
        for kind, count in sorted(counts.items())
        if count
    ]


def prune_state_files(run_dir: Path, window_seconds: float, now: float) -> None:
    """Remove the state files of supervisors that are gone and whose restarts are out of the window."""
    for path in run_dir.glob(STATE_FILE_PATTERN):
        state = read_state(path) or {}
        pid = state.get("pid")
        alive = isinstance(pid, int) and is_running(pid)
        recent = any(moment >= now - window_seconds for times in state.get("restarts", {}).values() for moment in times)
        if not alive and not recent:
            path.unlink(missing_ok=True)


def signal_ready() -> None:
    """In a supervised child: tell the supervisor this process is ready (once)."""
    fd = os.environ.pop(READY_FD_VARIABLE, "")
    if fd.isdigit():
        with contextlib.suppress(OSError):
            os.write(int(fd), b"ready\n")
            os.close(int(fd))
