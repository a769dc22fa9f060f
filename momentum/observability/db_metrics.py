"""Count and time every SQL statement Django runs (momentum_db_queries_total, ..._duration_seconds)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

from momentum.observability import metrics

_OPERATIONS = ("select", "insert", "update", "delete", "begin", "commit", "rollback", "savepoint", "release")


def _operation(sql: Any) -> str:
    word = str(sql).lstrip(" (\n\t").split(None, 1)[0].lower() if sql else ""
    return word if word in _OPERATIONS else "other"


def observe_query(execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: dict[str, Any]) -> Any:
    operation = _operation(sql)
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    except Exception:
        metrics.DB_QUERY_ERRORS.labels(operation).inc()
        raise
    finally:
        metrics.DB_QUERIES.labels(operation).inc()
        metrics.DB_QUERY_LATENCY.labels(operation).observe(time.perf_counter() - started)


def _instrument(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if observe_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(observe_query)


def install() -> None:
    """Instrument every database connection this process opens (called once, from OpsConfig.ready)."""
    connection_created.connect(_instrument, dispatch_uid="momentum.observability.db_metrics")
