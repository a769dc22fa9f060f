"""Performance baselines: P50/P95/P99 per route from the live metrics, as a Markdown page.

The figures come from the latency histograms (momentum_http_request_duration_seconds), either
this machine's metrics folder or a running server's /metrics, interpolated as Prometheus's
histogram_quantile() does; they are as precise as the buckets allow.
"""

from __future__ import annotations

import urllib.request
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from momentum.observability import metrics_export
from momentum.observability.alarms import histogram_quantile


@dataclass(frozen=True)
class Baseline:
    name: str
    count: int
    p50: float | None
    p95: float | None
    p99: float | None


def families_from_url(url: str, token: str = "") -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  (an operator-given URL)
        text = response.read().decode()
    return {family.name: family for family in text_string_to_metric_families(text)}


def baselines(families: dict[str, Any], metric: str, labels: tuple[str, ...], *, minimum: int = 1) -> list[Baseline]:
    family = families.get(metric)
    if family is None:
        return []
    buckets: dict[tuple[str, ...], dict[float, float]] = defaultdict(dict)
    for sample in family.samples:
        if sample.name.endswith("_bucket"):
            key = tuple(sample.labels.get(label, "") for label in labels)
            bound = float(sample.labels["le"])
            buckets[key][bound] = buckets[key].get(bound, 0.0) + sample.value
    found = []
    for key, counts in buckets.items():
        cumulative = sorted(counts.items())
        total = int(cumulative[-1][1]) if cumulative else 0
        if total < minimum:
            continue
        found.append(Baseline(" ".join(key), total, *(histogram_quantile(q, cumulative) for q in (0.5, 0.95, 0.99))))
    return sorted(found, key=lambda baseline: (-baseline.count, baseline.name))


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 0.01:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _table(title: str, what: str, rows: list[Baseline], note: str = "") -> list[str]:
    lines = [f"## {title}", ""]
    if note:
        lines += [note, ""]
    if not rows:
        return [*lines, "No observations yet.", ""]
    lines += [f"| {what} | count | P50 | P95 | P99 |", "|---|---:|---:|---:|---:|"]
    lines += [f"| `{row.name}` | {row.count} | {_ms(row.p50)} | {_ms(row.p95)} | {_ms(row.p99)} |" for row in rows]
    return [*lines, ""]


def render(families: dict[str, Any], *, source: str, environment: str, when: datetime, minimum: int,
           notes: str = "") -> str:  # fmt: skip
    routes = baselines(families, "momentum_http_request_duration_seconds", ("method", "route"), minimum=minimum)
    queries = baselines(families, "momentum_db_query_duration_seconds", ("operation",), minimum=minimum)
    steps = baselines(families, "momentum_workflow_step_duration_seconds", ("step",), minimum=1)
    lines = [
        "# Performance baselines",
        "",
        "Written by `momentum baselines` from the live latency histograms; rewrite it after a change that",
        "matters (new release, new hardware, more data). Alarm guidance from the architecture evaluation:",
        "investigate when a route's P95 exceeds twice its baseline or its P99 three times (the global alarm",
        "MomentumSlowResponses fires at P95 > 1 s). Targets: API P95 < 300 ms, database query P95 < 50 ms.",
        "",
        f"- Measured: {when.isoformat(timespec='seconds')}",
        f"- Environment: {environment}",
        f"- Source: {source}",
        f"- Routes with fewer than {minimum} requests are left out.",
        "",
    ]
    if notes:
        lines += [notes.strip(), ""]
    lines += _table("HTTP routes", "method and route", routes)
    lines += _table("Database statements", "operation", queries, "Every SQL statement Django ran, by kind.")
    lines += _table("Workflow steps", "step", steps, "Each attempt of each step, in the workers.")
    return "\n".join(lines).rstrip() + "\n"


def local_families() -> dict[str, Any]:
    return metrics_export.families()
