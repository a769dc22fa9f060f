"""The in-app alarm evaluator: the conditions of deploy/prometheus/rules.yml, evaluated by a
scheduled workflow for installations without Prometheus (the embedded default).

Each evaluation takes a sample of this machine's metric totals (every process's, from the
metrics folder) and compares it with the sample taken one window earlier, as Prometheus's
``increase()`` does; conditions that live in the database (spend, backups) or on disk are read
directly. A change of state is recorded in AlarmState, counted, and emailed to every admin.
Alarm names are the Prometheus alert names, so both places speak of the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from momentum.lib.logs import get_logger
from momentum.observability import metrics, metrics_export, queries
from momentum.observability.models import AlarmState, MetricSample
from momentum.recovery import queries as recovery_queries
from momentum.recovery.models import OperationKind
from momentum.sitesettings import queries as site_queries
from momentum.xapi import queries as xapi_queries

log = get_logger("momentum.alarms")

FIVE_MINUTES = timedelta(minutes=5)
TEN_MINUTES = timedelta(minutes=10)
HALF_AN_HOUR = timedelta(minutes=30)
SAMPLE_RETENTION = timedelta(hours=2)
MIN_REQUESTS = 20  # below this many requests in a window, ratios are noise
RATIO_5XX = 0.01
RATIO_ERRORS = 0.005
P95_SECONDS = 1.0
RATIO_WORKFLOW_FAILURES = 0.05
DISK_FREE_WARNING = 0.20
DISK_FREE_CRITICAL = 0.10
SPEND_WARNING = 0.8


@dataclass(frozen=True)
class Reading:
    firing: bool
    value: float | None
    message: str


NO_DATA = Reading(False, None, "not enough data yet")


# --- Samples -----------------------------------------------------------------------------------


def _sum(family: Any, suffix: str = "", where: Callable[[dict[str, str]], bool] = lambda labels: True) -> float:
    if family is None:
        return 0.0
    name = family.name + suffix
    return float(sum(sample.value for sample in family.samples if sample.name == name and where(sample.labels)))


def take_sample() -> dict[str, Any]:
    """The totals the rate conditions need, as of now."""
    found = metrics_export.families()
    requests = found.get("momentum_http_requests")
    latency = found.get("momentum_http_request_duration_seconds")
    steps = found.get("momentum_workflow_step_runs")
    runs = found.get("momentum_workflow_runs")
    buckets: dict[str, float] = {}
    for sample in latency.samples if latency is not None else []:
        if sample.name.endswith("_bucket"):
            buckets[sample.labels["le"]] = buckets.get(sample.labels["le"], 0.0) + sample.value
    return {
        "requests": _sum(requests, "_total"),
        "requests_5xx": _sum(requests, "_total", lambda labels: labels.get("status", "").startswith("5")),
        "latency_buckets": buckets,
        "steps": _sum(steps, "_total"),
        "steps_failed": _sum(steps, "_total", lambda labels: labels.get("outcome") == "failed"),
        "workflows_finished": _sum(runs, "_total", lambda labels: labels.get("outcome") in ("succeeded", "failed")),
        "workflows_failed": _sum(runs, "_total", lambda labels: labels.get("outcome") == "failed"),
    }


def _increase(now: float, before: float) -> float:
    return now - before if now >= before else now  # a restart zeroed the counter


@dataclass
class Window:
    current: dict[str, Any]
    baseline: dict[str, Any]
    baseline_at: datetime

    def increase(self, key: str) -> float:
        return _increase(float(self.current.get(key, 0)), float(self.baseline.get(key, 0)))

    def p95(self) -> float | None:
        now, before = self.current.get("latency_buckets", {}), self.baseline.get("latency_buckets", {})
        bounds = sorted((float(le), le) for le in now)
        counts = [(bound, _increase(now[le], before.get(le, 0.0))) for bound, le in bounds]
        return histogram_quantile(0.95, counts)


def histogram_quantile(quantile: float, cumulative: list[tuple[float, float]]) -> float | None:
    """Prometheus's histogram_quantile over (upper bound, cumulative count) pairs."""
    if not cumulative or cumulative[-1][1] <= 0:
        return None
    rank = quantile * cumulative[-1][1]
    lower_bound, lower_count = 0.0, 0.0
    for bound, count in cumulative:
        if count >= rank:
            if bound == float("inf"):
                return lower_bound
            if count == lower_count:
                return bound
            return lower_bound + (bound - lower_bound) * (rank - lower_count) / (count - lower_count)
        lower_bound, lower_count = bound, count
    return lower_bound


def window(samples: list[MetricSample], current: dict[str, Any], now: datetime, span: timedelta) -> Window | None:
    """Now against the newest sample at least ``span`` old (or the oldest one, once a minute has passed)."""
    older = [sample for sample in samples if sample.taken_at <= now - span]
    if older:
        return Window(current, older[-1].values, older[-1].taken_at)
    if samples and samples[0].taken_at <= now - timedelta(minutes=1):
        return Window(current, samples[0].values, samples[0].taken_at)
    return None


# --- Conditions --------------------------------------------------------------------------------


@dataclass
class Context:
    now: datetime
    samples: list[MetricSample]
    current: dict[str, Any]

    def window(self, span: timedelta) -> Window | None:
        return window(self.samples, self.current, self.now, span)


def _ratio_of_requests(context: Context) -> Reading:
    span = context.window(FIVE_MINUTES)
    if span is None or span.increase("requests") < MIN_REQUESTS:
        return NO_DATA if span is None else Reading(False, 0.0, "too few requests to judge")
    ratio = span.increase("requests_5xx") / span.increase("requests")
    return Reading(ratio > RATIO_5XX, ratio, f"{ratio:.2%} of requests answered 5xx over 5 min (limit 1 %)")


def _error_ratio(context: Context) -> Reading:
    span = context.window(FIVE_MINUTES)
    if span is None:
        return NO_DATA
    units = span.increase("requests") + span.increase("steps")
    if units < MIN_REQUESTS:
        return Reading(False, 0.0, "too little work to judge")
    ratio = (span.increase("requests_5xx") + span.increase("steps_failed")) / units
    return Reading(ratio > RATIO_ERRORS, ratio,
                   f"{ratio:.2%} of requests and workflow steps failed over 5 min (limit 0.5 %)")  # fmt: skip


def _latency(context: Context) -> Reading:
    span = context.window(TEN_MINUTES)
    if span is None or span.increase("requests") < MIN_REQUESTS:
        return NO_DATA if span is None else Reading(False, None, "too few requests to judge")
    p95 = span.p95()
    if p95 is None:
        return NO_DATA
    return Reading(p95 > P95_SECONDS, p95, f"P95 latency {p95 * 1000:.0f} ms over 10 min (limit 1 s)")


def _workflow_failures(context: Context) -> Reading:
    span = context.window(HALF_AN_HOUR)
    if span is None:
        return NO_DATA
    finished = span.increase("workflows_finished")
    if finished < 1:
        return Reading(False, 0.0, "no workflow finished in 30 min")
    ratio = span.increase("workflows_failed") / finished
    return Reading(ratio > RATIO_WORKFLOW_FAILURES, ratio,
                   f"{ratio:.0%} of {finished:.0f} workflows failed over 30 min (limit 5 %)")  # fmt: skip


def _disk(limit: float) -> Callable[[Context], Reading]:
    def condition(context: Context) -> Reading:
        tightest = min(queries.volumes(), key=lambda volume: volume.free_ratio)
        return Reading(tightest.free_ratio < limit, tightest.free_ratio,
                       f"{tightest.free_ratio:.0%} free on the {tightest.name} disk ({tightest.path}); "
                       f"limit {limit:.0%}")  # fmt: skip

    return condition


def _spend(limit: float) -> Callable[[Context], Reading]:
    def condition(context: Context) -> Reading:
        spend = site_queries.ai_spend(context.now)
        firing = spend.daily_ratio > limit if limit >= 1 else spend.daily_ratio >= limit
        message = f"${spend.today_usd:.2f} of the ${spend.daily_budget_usd:.2f} daily AI budget spent"
        return Reading(firing, spend.daily_ratio, message)

    return condition


def _circuits(context: Context) -> Reading:
    open_ = [str(circuit["provider"]) for circuit in queries.circuit_states() if circuit["state"] == "open"]
    return Reading(bool(open_), float(len(open_)),
                   f"circuit open: {', '.join(open_)}" if open_ else "every provider circuit is closed")  # fmt: skip


def _age(kind: OperationKind, limit: timedelta, what: str) -> Callable[[Context], Reading]:
    def condition(context: Context) -> Reading:
        last = recovery_queries.last_success_time(kind)
        age = context.now - last
        minutes = age.total_seconds() / 60
        done = recovery_queries.last_successful(kind) is not None
        what_happened = f"last successful {what} {minutes:.0f} min ago" if done else (
            f"no successful {what} since the installation {minutes:.0f} min ago")  # fmt: skip
        return Reading(age > limit, minutes, f"{what_happened} (limit {limit.total_seconds() / 60:.0f} min)")

    return condition


PROCESS_RESTARTS_ALARM = "MomentumProcessRestarting"
XAPI_OUTBOX_ALARM = "MomentumXapiOutboxStuck"


def _process_restarts(context: Context) -> Reading:
    """Restarts by `momentum serve` (every supervisor of this machine), from their state files."""
    from momentum.lib import supervisor

    minutes = settings.RESTART_WINDOW_MINUTES
    limit = settings.RESTART_ALARM_COUNT
    run_dir = Path(settings.DATA_DIR) / "run"
    if not any(run_dir.glob(supervisor.STATE_FILE_PATTERN)):
        # No `momentum serve` on this machine (a worker-only container): the state stays what the
        # machine that has one recorded; its serve re-evaluates it until it resolves.
        kept = AlarmState.objects.filter(name=PROCESS_RESTARTS_ALARM).first()
        if kept is not None and kept.firing:
            return Reading(True, kept.value, kept.message)
        return Reading(False, 0.0, "no `momentum serve` on this machine")
    found = supervisor.recent_restarts(run_dir, minutes * 60, context.now.timestamp())
    if not found:
        return Reading(False, 0.0, f"no process restarted in {minutes} min")
    worst = max(found, key=lambda restarts: restarts.count)
    status = "" if worst.last_exit is None else f", last exit status {supervisor.describe_status(worst.last_exit)}"
    return Reading(worst.count > limit, float(worst.count),
                   f"the {worst.kind} process restarted {worst.count} times in {minutes} min{status} "
                   f"(limit {limit})")  # fmt: skip


def _xapi_outbox(context: Context) -> Reading:
    """A statement the LRS has not taken for too long: it is down, refuses our credentials or a statement."""
    limit = settings.XAPI_ALARM_MINUTES
    minutes = xapi_queries.oldest_pending_seconds(context.now) / 60
    if minutes == 0:
        return Reading(False, 0.0, "no xAPI statement waits")
    return Reading(minutes > limit, minutes,
                   f"{xapi_queries.pending_count()} xAPI statements wait, the oldest for {minutes:.0f} min "
                   f"(limit {limit} min)")  # fmt: skip


@dataclass(frozen=True)
class Alarm:
    name: str
    severity: str
    summary: str
    condition: Callable[[Context], Reading]


def catalogue() -> list[Alarm]:
    """Every alarm, with the thresholds of the settings (names match deploy/prometheus/rules.yml)."""
    return [
        Alarm("MomentumHigh5xxRate", "critical", "More than 1 % of requests answered 5xx", _ratio_of_requests),
        Alarm("MomentumHighErrorRate", "critical", "More than 0.5 % of requests and steps failed", _error_ratio),
        Alarm("MomentumSlowResponses", "warning", "P95 latency above 1 s", _latency),
        Alarm("MomentumWorkflowFailureRate", "critical", "More than 5 % of workflows failed", _workflow_failures),
        Alarm("MomentumDiskSpaceLow", "warning", "Less than 20 % free disk", _disk(DISK_FREE_WARNING)),
        Alarm("MomentumDiskSpaceCritical", "critical", "Less than 10 % free disk", _disk(DISK_FREE_CRITICAL)),
        Alarm("MomentumAISpendNearBudget", "warning", "80 % of the daily AI budget spent", _spend(SPEND_WARNING)),
        Alarm("MomentumAISpendOverBudget", "critical", "Daily AI budget exceeded", _spend(1.0)),
        Alarm("MomentumCircuitOpen", "warning", "A provider's circuit breaker is open", _circuits),
        Alarm("MomentumBackupTooOld", "critical", "No recent successful backup",
              _age(OperationKind.BACKUP, timedelta(minutes=settings.BACKUP_MAX_AGE_MINUTES), "backup")),
        Alarm("MomentumRestoreDrillTooOld", "warning", "No recent successful restore drill",
              _age(OperationKind.DRILL, timedelta(hours=settings.DR_DRILL_MAX_AGE_HOURS), "restore drill")),
        Alarm(PROCESS_RESTARTS_ALARM, "warning", "A process of `momentum serve` keeps restarting", _process_restarts),
        Alarm(XAPI_OUTBOX_ALARM, "warning", "xAPI statements are not reaching the LRS", _xapi_outbox),
    ]  # fmt: skip


# --- Evaluation --------------------------------------------------------------------------------


def evaluate(now: datetime | None = None) -> list[AlarmState]:
    """Sample, evaluate every alarm, record the states, email admins about changes. Returns changes."""
    now = now or timezone.now()
    current = take_sample()
    samples = list(MetricSample.objects.filter(taken_at__gte=now - SAMPLE_RETENTION).order_by("taken_at"))
    context = Context(now, samples, current)
    changed = [state for alarm in catalogue() if (state := _record(alarm, context)) is not None]
    MetricSample.objects.create(taken_at=now, values=current)
    MetricSample.objects.filter(taken_at__lt=now - SAMPLE_RETENTION).delete()
    if changed:
        notify_admins(changed)
    return changed


def evaluate_one(name: str, now: datetime | None = None) -> AlarmState | None:
    """Evaluate one alarm now, outside the schedule (`momentum serve` on a restart, when the worker
    that runs the schedule may be the process that keeps dying). Returns its state if it changed."""
    alarm = next(alarm for alarm in catalogue() if alarm.name == name)
    state = _record(alarm, Context(now or timezone.now(), [], {}))
    if state is not None:
        notify_admins([state])
    return state


def _record(alarm: Alarm, context: Context) -> AlarmState | None:
    """Evaluate ``alarm`` and store its state; returns the state if it changed."""
    now = context.now
    try:
        reading = alarm.condition(context)
    except Exception as error:  # a broken condition is reported, not fatal to the others
        reading = Reading(False, None, f"could not evaluate: {type(error).__name__}: {error}"[:500])
    state, _ = AlarmState.objects.get_or_create(name=alarm.name, defaults={"severity": alarm.severity, "since": now})
    changed = state.firing != reading.firing
    if changed:
        state.since = now
        metrics.ALARM_TRANSITIONS.labels(alarm.name, "firing" if reading.firing else "resolved").inc()
    state.severity, state.firing, state.value = alarm.severity, reading.firing, reading.value
    state.message, state.evaluated_at = reading.message[:500], now
    state.save()
    return state if changed else None


def notify_admins(changed: list[AlarmState]) -> int:
    from momentum.accounts.models import Role, User

    recipients = list(
        User.objects.filter(role=Role.ADMIN, is_active=True, erased_at__isnull=True).values_list("email", flat=True)
    )
    if not recipients:
        return 0
    firing = [state for state in changed if state.firing]
    subject = (
        f"[{settings.SITE_NAME} {settings.MOMENTUM_ENV}] "
        + (
            f"FIRING: {', '.join(s.name for s in firing)}"
            if firing
            else f"resolved: {', '.join(s.name for s in changed)}"
        )
    )[:200]
    lines = [
        f"{'FIRING' if state.firing else 'resolved'} [{state.severity}] {state.name}: {state.message}"
        for state in changed
    ]
    body = "\n".join([*lines, "", f"Operations page: {settings.SITE_URL}/studio/ops/",
                      "Runbook: docs/runbooks/incident-response.md"])  # fmt: skip
    send_mail(subject, body, None, recipients)
    log.warning("alarm_transitions", alarms={state.name: state.firing for state in changed})
    return len(recipients)
