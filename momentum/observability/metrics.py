"""Prometheus metrics that Momentum's code updates: HTTP, database, cache, workflows, business.

Every process of a machine writes its values to memory-mapped files under
``settings.METRICS_DIR`` (prometheus-client's multiprocess mode, switched on by
momentum/observability/__init__.py before this module is imported); /metrics adds them up
(momentum/observability/metrics_export.py).
Gauges declare how processes combine (``multiprocess_mode``). Names are part of the contract
with deploy/prometheus/rules.yml and deploy/grafana/momentum.json: keep them.
"""

from __future__ import annotations

import bisect
import os
import threading
import time
from typing import Any

from prometheus_client import Counter, Gauge, Histogram, values

from momentum.platform import meters

if os.environ.get("PROMETHEUS_MULTIPROC_DIR") and values.ValueClass is values.MutexValue:  # pragma: no cover
    raise RuntimeError(
        "prometheus_client was imported before momentum/observability/__init__.py set PROMETHEUS_MULTIPROC_DIR"
    )

# --- Business figures, incremented by the actions that cause them ------------------------------
SIGNUPS = Counter("momentum_signups_total", "Accounts created")
ENROLLMENTS = Counter("momentum_enrollments_total", "Enrolments into a course")
LESSON_COMPLETIONS = Counter("momentum_lesson_completions_total", "Lessons marked complete")
COURSE_COMPLETIONS = Counter("momentum_course_completions_total", "Courses completed")
BADGES_AWARDED = Counter("momentum_badges_awarded_total", "Badges awarded", ["badge"])
REVENUE_CENTS = Counter("momentum_revenue_cents_total", "Revenue from succeeded payments, in cents", ["currency"])
PAYMENTS = Counter("momentum_payments_total", "Payment state changes", ["status"])
GENERATION_JOBS = Counter("momentum_generation_jobs_total", "Generation jobs by final status", ["status"])
GENERATION_COST_USD = Counter("momentum_generation_cost_usd_total", "Cost of provider calls in USD", ["provider"])
PROVIDER_CALLS = Counter("momentum_provider_calls_total", "Calls to remote providers", ["provider", "outcome"])
PROVIDER_LATENCY = Histogram(
    "momentum_provider_call_seconds",
    "Provider call latency",
    ["provider"],
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120),
)
CIRCUIT_STATE = Gauge(
    "momentum_circuit_open", "1 when a provider's circuit breaker is open, 0.5 half-open, 0 closed", ["provider"],
    multiprocess_mode="max",
)  # fmt: skip

# --- HTTP (momentum/platform/middleware.py) ------------------------------------------------------------
# Routes are URL patterns ("courses/<slug:slug>/"), never raw paths, so the label set stays small.
HTTP_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
HTTP_REQUESTS = Counter("momentum_http_requests_total", "HTTP requests answered", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "momentum_http_request_duration_seconds",
    "Time to answer an HTTP request (to the first byte of a streamed answer)",
    ["method", "route"],
    buckets=HTTP_LATENCY_BUCKETS,
)
HTTP_IN_FLIGHT = Gauge("momentum_http_requests_in_flight", "Requests being answered now", multiprocess_mode="livesum")

# --- Database (momentum/observability/db_metrics.py) --------------------------------------------------------
DB_QUERIES = Counter("momentum_db_queries_total", "SQL statements run by Django", ["operation"])
DB_QUERY_LATENCY = Histogram(
    "momentum_db_query_duration_seconds",
    "Time of one SQL statement",
    ["operation"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
DB_QUERY_ERRORS = Counter("momentum_db_query_errors_total", "SQL statements that raised", ["operation"])

# --- Cache (momentum/observability/cache_metrics.py and the caching layer) ----------------------------------
CACHE_LOOKUPS = Counter("momentum_cache_lookups_total", "Cache reads by result", ["cache", "result"])
CACHE_FALLBACKS = Counter(
    "momentum_cache_fallbacks_total", "Cache operations the local cache answered because Redis did not", ["operation"]
)

# --- Durable workflows (momentum/platform/durable.py) ------------------------------------------------------
WORKFLOW_BUCKETS = (0.05, 0.25, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)
WORKFLOW_RUNS = Counter(
    "momentum_workflow_runs_total", "Workflow executions by outcome (started, succeeded, failed)",
    ["workflow", "outcome"],
)  # fmt: skip
WORKFLOW_DURATION = Histogram(
    "momentum_workflow_duration_seconds", "Time of one workflow execution", ["workflow"], buckets=WORKFLOW_BUCKETS
)
STEP_RUNS = Counter(
    "momentum_workflow_step_runs_total", "Workflow step attempts by outcome (succeeded, failed)", ["step", "outcome"]
)
STEP_DURATION = Histogram(
    "momentum_workflow_step_duration_seconds", "Time of one step attempt", ["step"], buckets=WORKFLOW_BUCKETS
)

# --- xAPI (momentum/xapi) ------------------------------------------------------------------------------
XAPI_STATEMENTS = Counter(
    "momentum_xapi_statements_total",
    "xAPI statements by what happened to them: recorded (queued), delivered, retried (an attempt failed)",
    ["outcome"],
)

# --- Operations -----------------------------------------------------------------------------------
BACKUP_RUNS = Counter("momentum_backup_runs_total", "Backups, restores and drills by outcome", ["kind", "outcome"])
ALARM_TRANSITIONS = Counter("momentum_alarm_transitions_total", "In-app alarm state changes", ["alarm", "state"])
PROCESS_RESTARTS = Counter(
    "momentum_process_restarts_total", "Children of `momentum serve` restarted after an unexpected exit", ["process"]
)


def record_cache_lookup(cache: str, *, hit: bool) -> None:
    """For caching code that reads through its own layer: count one lookup of ``cache``."""
    CACHE_LOOKUPS.labels(cache, "hit" if hit else "miss").inc()


def observe_many(histogram: Any, bucket_counts: list[int], total: float) -> None:
    """Add ``bucket_counts[i]`` observations to bucket i of a labelled ``histogram`` child, and
    ``total`` to its sum: what as many ``observe`` calls would do, with one write per bucket.
    (prometheus-client has no bulk observe: this writes the values ``observe`` writes.)"""
    for index, count in enumerate(bucket_counts):
        if count:
            histogram._buckets[index].inc(count)
    histogram._sum.inc(total)


class PrometheusMeter(meters.Meter):
    """The platform's measurements (momentum/platform/meters.py) as the metrics above; installed at ready.

    HTTP figures are counted in this process's memory and written to the shared metric files
    (a lock and a memory-mapped write per value) when the process falls idle (no request in
    flight) or at least every ``FLUSH_SECONDS`` under load: one write per route and bucket per
    flush instead of five per request (issue 21). /metrics flushes its own process first; a
    busy neighbour's figures are at most ``FLUSH_SECONDS`` old."""

    FLUSH_SECONDS = 1.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight = 0
        self._in_flight_written = 0
        self._answered: dict[tuple[str, str, str], int] = {}
        self._latency: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
        self._flushed_at = time.monotonic()
        self._bounds = [*HTTP_LATENCY_BUCKETS, float("inf")]

    def http_in_flight(self, change: int) -> None:
        with self._lock:
            self._in_flight += change
            due = change < 0 and (self._in_flight == 0 or time.monotonic() - self._flushed_at >= self.FLUSH_SECONDS)
        if due:
            self.flush()

    def http_answered(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, str(status))
        bucket = bisect.bisect_left(self._bounds, seconds)
        with self._lock:
            self._answered[key] = self._answered.get(key, 0) + 1
            counts, total = self._latency.setdefault((method, route), ([0] * len(self._bounds), [0.0]))
            counts[bucket] += 1
            total[0] += seconds

    def flush(self) -> None:
        with self._lock:
            answered, self._answered = self._answered, {}
            latency, self._latency = self._latency, {}
            in_flight_change, self._in_flight_written = self._in_flight - self._in_flight_written, self._in_flight
            self._flushed_at = time.monotonic()
        for (method, route, status), count in answered.items():
            HTTP_REQUESTS.labels(method, route, status).inc(count)
        for (method, route), (counts, total) in latency.items():
            observe_many(HTTP_LATENCY.labels(method, route), counts, total[0])
        if in_flight_change:
            HTTP_IN_FLIGHT.inc(in_flight_change)

    def workflow_started(self, name: str) -> None:
        WORKFLOW_RUNS.labels(name, "started").inc()

    def workflow_ended(self, name: str, outcome: str, seconds: float) -> None:
        WORKFLOW_RUNS.labels(name, outcome).inc()
        WORKFLOW_DURATION.labels(name).observe(seconds)

    def step_ended(self, name: str, outcome: str, seconds: float) -> None:
        STEP_RUNS.labels(name, outcome).inc()
        STEP_DURATION.labels(name).observe(seconds)

    def cache_lookup(self, region: str, *, hit: bool) -> None:
        record_cache_lookup(region, hit=hit)
