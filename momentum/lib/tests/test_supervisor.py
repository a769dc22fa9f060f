"""The supervisor of `momentum serve`: a child that dies comes back after a back-off, a crash loop
gives up saying why, stopping goes web first then worker. Children are real (small shell
processes); the clock is a fake one, so no test waits out a back-off."""

from __future__ import annotations

import signal
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

import pytest

from momentum.lib import supervisor
from momentum.lib.processes import is_running
from momentum.lib.supervisor import ChildSpec, Clock, Policy, Restart, Supervisor

EXITS_AT_ONCE = ["/bin/sh", "-c", "exit 3"]
RUNS = ["/bin/sh", "-c", "while :; do sleep 0.1; done"]


class FakeClock(Clock):
    def __init__(self) -> None:
        self.now = 1_000_000.0
        super().__init__(monotonic=lambda: self.now, wall=lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += seconds


def wait_for(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def cycle(running: Supervisor, clock: FakeClock) -> None:
    """One turn of the loop, one second later."""
    running.poll()
    clock.advance(1)


def _polled(running: Supervisor) -> bool:
    """One turn of the loop, for a ``wait_for`` condition that then reads the state."""
    running.poll()
    return True


def _cycled(running: Supervisor, clock: FakeClock) -> bool:
    cycle(running, clock)
    return True


def pid_of(running: Supervisor, name: str) -> int | None:
    pid = running.state()["children"][name]["pid"]
    return int(pid) if pid is not None else None


def state_of(running: Supervisor, name: str) -> str:
    return str(running.state()["children"][name]["state"])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_a_child_that_dies_is_restarted_after_its_back_off(clock: FakeClock) -> None:
    restarts: list[Restart] = []
    running = Supervisor([ChildSpec("worker", "worker", EXITS_AT_ONCE)], Policy(first_delay=1.0), clock=clock,
                         jitter=lambda: 0.0, on_restart=restarts.append)  # fmt: skip
    running.start()
    try:
        first = pid_of(running, "worker")

        # When the child exits
        wait_for(lambda: _polled(running) and state_of(running, "worker") == "restarting")
        # Then it is reported with its exit status, and waits for its back-off (1 s, less half of it as jitter)
        assert restarts == [Restart("worker", "worker", first or 0, 3, 0.5, 1)]
        clock.advance(0.49)
        running.poll()
        assert state_of(running, "worker") == "restarting"
        clock.advance(0.01)
        running.poll()
        assert state_of(running, "worker") == "running"
        assert pid_of(running, "worker") not in (None, first)
    finally:
        running.stop()


def test_the_back_off_doubles_up_to_its_cap() -> None:
    policy = Policy(first_delay=1.0, max_delay=30.0)

    assert [policy.delay(restarts, jitter=0.999999) for restarts in range(1, 8)] == pytest.approx(
        [1, 2, 4, 8, 16, 30, 30], abs=0.001
    )


def test_jitter_spreads_a_restart_between_half_and_all_of_its_back_off() -> None:
    policy = Policy(first_delay=4.0)

    assert policy.delay(1, jitter=0.0) == 2.0
    assert policy.delay(1, jitter=0.5) == 3.0


def test_a_process_quiet_for_a_whole_window_starts_again_from_the_first_delay(clock: FakeClock) -> None:
    running = Supervisor([ChildSpec("worker", "worker", EXITS_AT_ONCE)], Policy(window_seconds=600), clock=clock)
    running._restarts["worker"] = deque([clock.now - 300, clock.now - 10])

    assert running.recent_restarts("worker") == 2
    clock.advance(301)
    assert running.recent_restarts("worker") == 1
    clock.advance(600)
    assert running.recent_restarts("worker") == 0


def test_more_restarts_than_the_alarm_count_raise_the_alarm(clock: FakeClock) -> None:
    alarms: list[tuple[str, int]] = []
    running = Supervisor([ChildSpec("web-1", "web", EXITS_AT_ONCE)], Policy(first_delay=0.001, alarm_after=1),
                         clock=clock, on_alarm=lambda kind, recent: alarms.append((kind, recent)))  # fmt: skip
    running.start()
    try:
        wait_for(lambda: _cycled(running, clock) and running.recent_restarts("web") >= 2)
    finally:
        running.stop()

    assert alarms[0] == ("web", 2)


def test_a_crash_loop_makes_serve_give_up_and_say_why(clock: FakeClock, tmp_path: Path) -> None:
    # Given a worker that exits at once, and a web process that keeps running
    running = Supervisor(
        [ChildSpec("worker", "worker", EXITS_AT_ONCE), ChildSpec("web-1", "web", RUNS)],
        Policy(first_delay=0.001, alarm_after=1, give_up_after=2), clock=clock, tick=0.01,
        on_tick=lambda: clock.advance(0.01), state_file=tmp_path / "serve-1.json",
    )  # fmt: skip

    exit_code = running.run()

    assert exit_code == 1
    assert running.gave_up == (
        "the worker process worker exited 3 times in 10 min (last exit status 3), "
        "more than the 2 restarts allowed: a crash loop; giving up"
    )
    state = supervisor.read_state(tmp_path / "serve-1.json") or {}
    assert {name: child["state"] for name, child in state["children"].items()} == {
        "worker": "stopped", "web-1": "stopped"
    }  # fmt: skip
    assert len(state["restarts"]["worker"]) == 3


def test_a_child_counts_as_down_until_it_says_it_is_ready(clock: FakeClock, tmp_path: Path) -> None:
    go = tmp_path / "go"
    script = (
        "import os, pathlib, time\n"
        f"while not pathlib.Path({str(go)!r}).exists(): time.sleep(0.02)\n"
        "from momentum.lib.supervisor import signal_ready; signal_ready(); time.sleep(30)"
    )
    worker = ChildSpec("worker", "worker", [sys.executable, "-c", script], signals_ready=True)
    running = Supervisor([worker], clock=clock, cwd=str(Path(__file__).resolve().parents[3]))
    running.start()
    try:
        running.poll()
        assert state_of(running, "worker") == "starting"

        go.touch()

        wait_for(lambda: _polled(running) and state_of(running, "worker") == "running")
    finally:
        running.stop()


def test_stopping_stops_the_web_processes_before_the_worker(clock: FakeClock, tmp_path: Path) -> None:
    order = tmp_path / "order"

    def noting(name: str) -> list[str]:
        trap = f'trap "echo {name} >> {order}; exit 0" TERM; touch {tmp_path / name}'
        return ["/bin/sh", "-c", f"{trap}; while :; do sleep 0.05; done"]

    running = Supervisor([ChildSpec("worker", "worker", noting("worker")), ChildSpec("web-1", "web", noting("web"))],
                         clock=clock, stop_grace=10)  # fmt: skip
    running.start()
    pids = [pid_of(running, "worker"), pid_of(running, "web-1")]
    wait_for(lambda: (tmp_path / "web").exists() and (tmp_path / "worker").exists())  # their traps are set

    running.stop()

    assert order.read_text().split() == ["web", "worker"]
    assert not [pid for pid in pids if pid is not None and is_running(pid)]


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace(clock: FakeClock, tmp_path: Path) -> None:
    stubborn = ["/bin/sh", "-c", f'trap "" TERM; touch {tmp_path / "set"}; while :; do sleep 0.05; done']
    running = Supervisor([ChildSpec("web-1", "web", stubborn)], clock=clock, stop_grace=0.5)
    running.start()
    pid = pid_of(running, "web-1")
    wait_for((tmp_path / "set").exists)

    running.stop()

    assert pid is not None
    assert not is_running(pid)


def test_the_web_processes_read_that_the_worker_is_down_from_the_state_file(clock: FakeClock, tmp_path: Path) -> None:
    running = Supervisor(
        [ChildSpec("worker", "worker", EXITS_AT_ONCE)], clock=clock, state_file=tmp_path / "serve-1.json"
    )
    running.start()
    try:
        wait_for(lambda: _polled(running) and state_of(running, "worker") == "restarting")
    finally:
        running.stop()
    state = supervisor.read_state(tmp_path / "serve-1.json") or {}

    assert state["children"]["worker"]["last_exit"] == 3
    assert supervisor.recent_restarts(tmp_path, 600, clock.now) == [supervisor.RecentRestarts("worker", 1, 3)]
    assert supervisor.recent_restarts(tmp_path, 600, clock.now + 601) == []


def test_an_exit_status_reads_as_the_signal_that_ended_the_process() -> None:
    assert supervisor.describe_status(-signal.SIGKILL) == "-9 (SIGKILL)"
    assert supervisor.describe_status(1) == "1"
