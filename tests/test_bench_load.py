"""The load benchmark's gauges: how idle the machine was before a scenario (from /proc/stat, on
an injected clock, so nothing here waits), the web processes' CPU time per request, and a results
table that marks a scenario measured on a busy machine and lists the server's settings."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import pytest

from bench.load import (
    IdleGauge,
    Scenario,
    answers_by_status,
    cpu_ms_per_request,
    cpu_times,
    process_cpu_seconds,
    recorded_settings,
    refusals_between,
    server_environment,
    write_results,
)

CORES = 2
TICKS_PER_SECOND = 100


class FakeMachine:
    """/proc/stat of a 2-core machine whose CPUs are ``idle_shares[i]`` % idle while the i-th
    sample sleeps; sleeping moves its clock instead of waiting."""

    def __init__(self, idle_shares: list[float]) -> None:
        self.shares = list(idle_shares)
        self.now = 1000.0
        self.idle = 50_000
        self.busy = 30_000
        self.samples = 0

    def read_stat(self) -> str:
        # user nice system idle iowait irq softirq steal guest guest_nice; iowait counts as idle
        return (
            f"cpu  {self.busy} 0 0 {self.idle - 7} 7 0 0 0 0 0\n"
            f"cpu0 {self.busy // 2} 0 0 {self.idle // 2} 0 0 0 0 0 0\nintr 12345\n"
        )

    def sleep(self, seconds: float) -> None:
        share = self.shares[min(self.samples, len(self.shares) - 1)]
        self.samples += 1
        ticks = round(seconds * TICKS_PER_SECOND * CORES)
        idle = round(ticks * share / 100)
        self.idle += idle
        self.busy += ticks - idle
        self.now += seconds

    def clock(self) -> float:
        return self.now

    def gauge(self) -> IdleGauge:
        return IdleGauge(read_stat=self.read_stat, sleep=self.sleep, clock=self.clock)


def test_the_idle_share_counts_every_core_and_iowait_as_idle() -> None:
    assert cpu_times("cpu  10 1 4 70 5 2 3 5 9 0\ncpu0 5 0 2 35 2 1 1 2 4 0\n") == (75, 100)
    assert FakeMachine([95.0]).gauge().sample(3) == 95.0


def test_a_text_that_is_not_proc_stat_is_refused() -> None:
    with pytest.raises(ValueError, match="/proc/stat"):
        cpu_times("intr 1 2 3\n")


def test_without_require_quiet_one_sample_is_taken_and_a_busy_start_is_reported() -> None:
    machine = FakeMachine([40.0, 99.0])

    quiet = machine.gauge().wait_for_quiet(3, within=0)

    assert (quiet.idle_pct, quiet.quiet, quiet.waited_s, quiet.samples) == (40.0, False, 0.0, 1)
    assert machine.now == 1003.0


def test_a_quiet_machine_is_measured_at_once() -> None:
    quiet = FakeMachine([97.5]).gauge().wait_for_quiet(3, within=300)

    assert (quiet.idle_pct, quiet.quiet, quiet.waited_s, quiet.samples) == (97.5, True, 3.0, 1)


def test_require_quiet_waits_until_the_cpus_are_ninety_percent_idle() -> None:
    quiet = FakeMachine([50.0, 70.0, 89.5, 93.0, 20.0]).gauge().wait_for_quiet(3, within=300)

    assert (quiet.idle_pct, quiet.quiet, quiet.waited_s, quiet.samples) == (93.0, True, 12.0, 4)


def test_require_quiet_gives_up_after_its_bound_and_says_the_machine_was_busy() -> None:
    machine = FakeMachine([50.0])

    quiet = machine.gauge().wait_for_quiet(3, within=10)

    assert (quiet.idle_pct, quiet.quiet, quiet.samples) == (50.0, False, 4)
    assert quiet.waited_s == 12.0  # the bound ends the waiting at the first sample past it


def test_cpu_per_request_is_the_web_processes_cpu_time_over_the_requests_they_answered() -> None:
    before = {101: 10.0, 102: 20.0, 103: 5.0}
    after = {101: 10.5, 102: 21.0, 104: 3.0}  # 103 went away, 104 came: neither is counted

    assert cpu_ms_per_request(before, after, 500) == 3.0
    assert cpu_ms_per_request(before, after, 0) is None


def test_a_process_cpu_time_is_read_from_proc_and_a_gone_process_has_none() -> None:
    assert (process_cpu_seconds(os.getpid()) or 0) > 0  # this process has imported Django
    assert process_cpu_seconds(2**22 + 12345) is None  # above pid_max


def test_the_benchmark_server_runs_with_schedules_off_and_its_own_workflow_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DBOS_SYSTEM_DATABASE_URL", "postgresql://elsewhere/production_dbos")
    monkeypatch.setenv("MOMENTUM_WORKFLOW_SCHEDULES", "true")
    monkeypatch.setenv("MOMENTUM_SECRET_KEY", "not-for-the-results")
    monkeypatch.setenv("MOMENTUM_METRICS_TOKEN", "not-for-the-results")
    monkeypatch.setenv("MOMENTUM_SMTP_URL", "smtps://user:password@mail.example.com")

    env = server_environment("postgres://postgres@127.0.0.1:5432/momentum_bench", "", tmp_path)

    assert env["MOMENTUM_WORKFLOW_SCHEDULES"] == "false"
    assert "DBOS_SYSTEM_DATABASE_URL" not in env
    recorded = recorded_settings(env)
    assert recorded["MOMENTUM_WORKFLOW_SCHEDULES"] == "false"
    assert "not-for-the-results" not in str(recorded)
    assert "password" not in str(recorded)
    assert recorded["MOMENTUM_ACCESS_TOKEN_TTL"] == "86400"


def scenario(name: str, *, idle: float, cpu: float | None, workflows: list[str] | None = None) -> Scenario:
    result = Scenario(name, name, lambda m: [])
    result.results = {
        "requests": 1000,
        "rps": 100.0,
        "p50_ms": 5.0,
        "p95_ms": 9.0,
        "p99_ms": 12.0,
        "errors": 0,
        "connections": 64,
        "idle_at_start_pct": idle,
        "quiet_at_start": idle >= 90,
        "waited_for_quiet_s": 0.0,
        "web_cpu_s": 4.0,
        "web_cpu_ms_per_request": cpu,
        "worker_cpu_s": 0.1,
        "background_workflows": workflows or [],
    }
    return result


def test_the_results_mark_a_busy_start_and_list_the_settings_the_server_ran_with(tmp_path: Path) -> None:
    args = argparse.Namespace(
        connections=64, duration=20, warmup=5, web_workers=2, scale=1.0, idle_sample=3.0, require_quiet=False,
        database_url="postgres://postgres@127.0.0.1:5432/momentum_bench", redis_url="redis://127.0.0.1:6379/1",
    )  # fmt: skip
    chosen = [
        scenario("ceiling", idle=96.4, cpu=0.85),
        scenario("catalogue_api", idle=71.8, cpu=2.4),
        scenario("course_page", idle=94.0, cpu=3.1, workflows=["ops.scheduled_backup"]),
    ]
    server = {"db_queries": 10.0, "db_query_p95_ms_at_most": 2.5, "cache_hit_ratio": {}, "query_times": {}}
    schedules = {"MOMENTUM_WORKFLOW_SCHEDULES": "false", "stored_at_start": [], "stored_at_end": []}

    table = write_results(
        chosen, {}, server, args, server_settings={"MOMENTUM_WORKFLOW_SCHEDULES": "false"},
        schedules=schedules, directory=tmp_path,
    ).read_text()  # fmt: skip

    assert "| scenario | conns | idle at start | req/s | CPU ms/req |" in table
    assert "| ceiling | 64 | 96 % | 100 | 0.85 |" in table
    assert "| catalogue_api | 64 | 72 % † | 100 | 2.40 |" in table
    assert "| course_page ‡ | 64 | 94 % | 100 | 3.10 |" in table
    assert "† started below 90 % idle (catalogue_api)" in table
    assert "course_page: ops.scheduled_backup" in table
    assert (
        "Server settings: MOMENTUM_WORKFLOW_SCHEDULES=false. Schedules stored in its workflow database: none." in table
    )
    (document,) = [json.loads(path.read_text()) for path in tmp_path.glob("*-load.json")]
    assert document["settings"]["server"] == {"MOMENTUM_WORKFLOW_SCHEDULES": "false"}
    assert document["scenarios"]["catalogue_api"]["idle_at_start_pct"] == 71.8
    assert document["scenarios"]["catalogue_api"]["web_cpu_ms_per_request"] == 2.4


METRICS_BEFORE = """# TYPE momentum_http_requests_total counter
momentum_http_requests_total{method="PUT",route="progress",status="200"} 100.0
momentum_http_requests_total{method="PUT",route="progress",status="409"} 2.0
momentum_http_requests_total{method="GET",route="metrics",status="200"} 1.0
"""
METRICS_AFTER = """# TYPE momentum_http_requests_total counter
momentum_http_requests_total{method="PUT",route="progress",status="200"} 5700.0
momentum_http_requests_total{method="PUT",route="progress",status="409"} 30.0
momentum_http_requests_total{method="POST",route="token",status="503"} 4.0
momentum_http_requests_total{method="GET",route="course",status="304"} 7.0
momentum_http_requests_total{method="GET",route="metrics",status="200"} 2.0
"""


def test_a_scenarios_refused_answers_are_reported_by_status_from_the_servers_own_counts() -> None:
    """wrk counts answers that are not 2xx/3xx but not which: the results say, from /metrics."""
    before, after = answers_by_status(METRICS_BEFORE), answers_by_status(METRICS_AFTER)

    assert before == {"200": 101.0, "409": 2.0}
    assert refusals_between(before, after) == {"409": 28, "503": 4}
