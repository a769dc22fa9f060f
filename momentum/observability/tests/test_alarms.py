"""The in-app alarm evaluator: the conditions of the Prometheus rules, states, emails to admins."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.utils import timezone

from momentum.observability import alarms
from momentum.observability.models import AlarmState, MetricSample
from momentum.recovery.models import BackupRun, OperationKind, OperationStatus

pytestmark = pytest.mark.django_db
RULES = Path(__file__).resolve().parents[3] / "deploy" / "prometheus" / "rules.yml"


def sample(minutes_ago: float, **values: Any) -> MetricSample:
    return MetricSample(taken_at=timezone.now() - timedelta(minutes=minutes_ago), values=values)


def context(baseline: dict[str, Any], current: dict[str, Any], minutes: float = 6) -> alarms.Context:
    return alarms.Context(timezone.now(), [sample(minutes, **baseline)], current)


def test_every_in_app_alarm_is_a_prometheus_alert_of_the_same_name_and_severity() -> None:
    rules = yaml.safe_load(RULES.read_text())
    severities = {rule["alert"]: rule["labels"]["severity"] for group in rules["groups"] for rule in group["rules"]}

    assert {alarm.name: alarm.severity for alarm in alarms.catalogue()}.items() <= severities.items()


def test_more_than_one_percent_of_5xx_fires_and_less_does_not() -> None:
    bad = context({"requests": 1000, "requests_5xx": 0}, {"requests": 1100, "requests_5xx": 2})
    fine = context({"requests": 1000, "requests_5xx": 0}, {"requests": 1300, "requests_5xx": 2})

    assert alarms._ratio_of_requests(bad).firing is True
    assert alarms._ratio_of_requests(fine).firing is False


def test_a_handful_of_requests_is_too_few_to_judge() -> None:
    reading = alarms._ratio_of_requests(context({"requests": 0, "requests_5xx": 0}, {"requests": 5, "requests_5xx": 5}))

    assert reading.firing is False
    assert reading.message == "too few requests to judge"


def test_a_counter_reset_after_a_restart_counts_from_zero() -> None:
    reading = alarms._ratio_of_requests(
        context({"requests": 5000, "requests_5xx": 0}, {"requests": 100, "requests_5xx": 3})
    )

    assert reading.value == pytest.approx(0.03)
    assert reading.firing is True


def test_p95_latency_is_interpolated_as_prometheus_does() -> None:
    buckets = [(0.1, 50.0), (0.5, 90.0), (1.0, 94.0), (2.5, 100.0), (float("inf"), 100.0)]

    assert alarms.histogram_quantile(0.95, buckets) == pytest.approx(1.25)
    assert alarms.histogram_quantile(0.5, buckets) == pytest.approx(0.1)


def test_slow_responses_fire_above_one_second_at_p95() -> None:
    before = {"requests": 0, "latency_buckets": {"0.5": 0, "1.0": 0, "2.5": 0, "+Inf": 0}}
    now = {"requests": 100, "latency_buckets": {"0.5": 10, "1.0": 20, "2.5": 100, "+Inf": 100}}

    reading = alarms._latency(context(before, now, minutes=11))

    assert reading.firing is True
    assert reading.value == pytest.approx(2.406, abs=0.01)


def test_workflow_failures_above_five_percent_fire() -> None:
    reading = alarms._workflow_failures(
        context({"workflows_finished": 0, "workflows_failed": 0}, {"workflows_finished": 10, "workflows_failed": 1}, 31)
    )

    assert reading.firing is True
    assert reading.message == "10% of 10 workflows failed over 30 min (limit 5 %)"


def test_an_alarm_that_starts_firing_is_recorded_and_emailed_to_admins(admin: Any, mailoutbox: list[Any]) -> None:
    # Given an installation older than the backup age limit, without a backup
    later = timezone.now() + timedelta(hours=1)

    changed = alarms.evaluate(now=later)

    state = AlarmState.objects.get(name="MomentumBackupTooOld")
    assert state.firing is True
    assert state.severity == "critical"
    assert "no successful backup since the installation" in state.message
    assert "MomentumBackupTooOld" in [s.name for s in changed]
    assert len(mailoutbox) == 1
    assert "FIRING: MomentumBackupTooOld" in mailoutbox[0].subject
    assert mailoutbox[0].to == [admin.email]
    assert "no successful backup since the installation" in mailoutbox[0].body


def test_a_steady_alarm_is_not_emailed_again_and_its_recovery_is(admin: Any, mailoutbox: list[Any]) -> None:
    later = timezone.now() + timedelta(hours=1)
    alarms.evaluate(now=later)
    alarms.evaluate(now=later + timedelta(minutes=1))
    assert len(mailoutbox) == 1

    BackupRun.objects.create(kind=OperationKind.BACKUP, status=OperationStatus.SUCCEEDED, finished_at=later)
    changed = alarms.evaluate(now=later + timedelta(minutes=2))

    assert [state.name for state in changed] == ["MomentumBackupTooOld"]
    assert AlarmState.objects.get(name="MomentumBackupTooOld").firing is False
    assert len(mailoutbox) == 2
    assert "resolved: MomentumBackupTooOld" in mailoutbox[1].subject


def test_the_daily_ai_budget_alarms_read_the_provider_calls(admin: Any, settings: Any) -> None:
    from momentum.generation.models import ProviderCall
    from momentum.sitesettings.models import SiteSettings

    SiteSettings.objects.create(id=1, generation_daily_budget_usd=10)
    ProviderCall.objects.create(kind="text", provider="anthropic", operation="outline", cost_usd="8.50")

    alarms.evaluate()

    assert AlarmState.objects.get(name="MomentumAISpendNearBudget").firing is True
    assert AlarmState.objects.get(name="MomentumAISpendOverBudget").firing is False
    assert (
        AlarmState.objects.get(name="MomentumAISpendNearBudget").message == "$8.50 of the $10.00 daily AI budget spent"
    )


def write_supervisor_state(run_dir: Path, restarts: list[float], last_exit: int = -9) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    state = {
        "pid": 1,
        "children": {"worker": {"kind": "worker", "state": "running", "since": restarts[-1], "last_exit": last_exit}},
        "restarts": {"worker": restarts},
    }
    (run_dir / "serve-1.json").write_text(json.dumps(state))


def test_a_worker_restarted_more_than_the_alarm_count_in_the_window_fires(
    settings: Any, tmp_path: Path, admin: Any, mailoutbox: list[Any]
) -> None:
    # Given `momentum serve` restarted its worker 4 times in the last 10 minutes (the limit is 3)
    settings.DATA_DIR = tmp_path
    now = timezone.now()
    write_supervisor_state(
        tmp_path / "run", [(now - timedelta(minutes=minutes)).timestamp() for minutes in (9, 5, 2, 1)]
    )

    # When serve evaluates the alarm at once (the worker that runs the schedule is the one dying)
    changed = alarms.evaluate_one(alarms.PROCESS_RESTARTS_ALARM, now=now)

    # Then it fires, says which process and why, and admins are told
    assert changed is not None
    assert changed.firing is True
    assert changed.message == "the worker process restarted 4 times in 10 min, last exit status -9 (SIGKILL) (limit 3)"
    assert "FIRING: MomentumProcessRestarting" in mailoutbox[0].subject


def test_restarts_older_than_the_window_do_not_count(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    now = timezone.now()
    write_supervisor_state(
        tmp_path / "run", [(now - timedelta(minutes=minutes)).timestamp() for minutes in (30, 20, 12, 1)]
    )

    reading = alarms._process_restarts(alarms.Context(now, [], {}))

    assert reading.firing is False
    assert reading.value == 1.0


def test_a_machine_without_serve_keeps_the_restart_alarm_its_serve_recorded(settings: Any, tmp_path: Path) -> None:
    # Given serve on a web machine found its processes restarting
    AlarmState.objects.create(
        name=alarms.PROCESS_RESTARTS_ALARM, severity="warning", firing=True, value=4.0, since=timezone.now(),
        message="the web process restarted 4 times in 10 min (limit 3)",
    )  # fmt: skip
    # When the scheduled evaluator runs on a worker machine, which has no serve and no state files
    settings.DATA_DIR = tmp_path

    reading = alarms._process_restarts(alarms.Context(timezone.now(), [], {}))

    # Then it leaves the alarm as it was, rather than resolve it and fire it again a minute later
    assert reading.firing is True
    assert reading.message == "the web process restarted 4 times in 10 min (limit 3)"
