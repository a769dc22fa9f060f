"""What /studio/ops shows, gathered in one place so the view stays thin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from momentum.observability import alarms, health, queries
from momentum.observability.models import MetricSample
from momentum.recovery import queries as recovery_queries
from momentum.recovery.models import OperationKind, OperationStatus
from momentum.sitesettings import queries as site_queries


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    hint: str = ""


def traffic() -> list[Figure]:
    """Request rate, 5xx share and P95 latency over the last minutes, from the metric samples."""
    now = timezone.now()
    current = alarms.take_sample()
    samples = list(MetricSample.objects.filter(taken_at__gte=now - timedelta(minutes=15)).order_by("taken_at"))
    span = alarms.window(samples, current, now, alarms.FIVE_MINUTES)
    if span is None:
        return [Figure("Requests", f"{current['requests']:.0f}", "since the server started")]
    minutes = max((now - span.baseline_at).total_seconds() / 60, 1 / 60)
    requests = span.increase("requests")
    errors = span.increase("requests_5xx") / requests if requests else 0.0
    p95 = span.p95()
    return [
        Figure("Requests / min", f"{requests / minutes:.1f}", f"last {minutes:.0f} min"),
        Figure("5xx answers", f"{errors:.2%}", "alarm above 1 %"),
        Figure("P95 latency", f"{p95 * 1000:.0f} ms" if p95 is not None else "—", "alarm above 1 s"),
        Figure("Step failures", f"{span.increase('steps_failed'):.0f}", f"of {span.increase('steps'):.0f} step runs"),
    ]


def backups() -> dict[str, Any]:
    now = timezone.now()
    last_backup = recovery_queries.last_successful(OperationKind.BACKUP)
    last_drill = recovery_queries.last_successful(OperationKind.DRILL)
    runs = recovery_queries.recent_runs(limit=12)
    return {
        "last_backup": last_backup,
        "backup_age": recovery_queries.age_minutes(last_backup, now),
        "rpo_minutes": settings.BACKUP_MAX_AGE_MINUTES,
        "last_drill": last_drill,
        "drill_age_hours": (recovery_queries.age_minutes(last_drill, now) or 0) / 60 if last_drill else None,
        "rto_target_minutes": settings.RTO_TARGET_MINUTES,
        "runs": runs,
        "in_progress": any(run.status == OperationStatus.RUNNING for run in runs),
        "target": settings.BACKUP_TARGET,
        "schedule": settings.BACKUP_SCHEDULE,
    }


def components() -> tuple[bool, list[dict[str, Any]]]:
    ready, checks = health.readiness()
    described = []
    for name, check in checks.items():
        kind = check.get("backend") or check.get("vendor") or check.get("engine") or ""
        detail = f"{kind} · {check['ms']} ms" if check["ok"] else check.get("error", "")
        if check.get("note"):  # degraded: say why (the worker is being restarted)
            detail = f"{detail} · {check['note']}"
        described.append({"name": name, "ok": check["ok"], "detail": detail})
    return ready, described


def page() -> dict[str, Any]:
    ready, checks = components()
    states = queries.alarm_states()
    return {
        "ready": ready,
        "checks": checks,
        "traffic": traffic(),
        "alarms": states,
        "firing": [state for state in states if state.firing],
        "backups": backups(),
        "circuits": queries.circuit_states(),
        "spend": site_queries.ai_spend(),
        "today": queries.figures_today(),
        "environment": settings.MOMENTUM_ENV,
    }
