"""DBOS in Momentum's processes: who launches it, who only enqueues, and how steps behave.

- Worker processes (``momentum worker``, and the embedded worker child of ``momentum serve``)
  call ``launch()`` once: it imports every workflow module, launches DBOS with the process's
  stable executor ID, registers the queues and applies the schedules. ``shutdown()`` ends it.
- Web processes and management commands never launch DBOS (that would make every command
  run pending workflows); they enqueue through ``enqueue()``, a ``DBOSClient`` on the same
  system database.
- ``step()`` wraps ``DBOS.step`` so that each step returns its database connections: steps
  run on DBOS's threads, where Django does not close them. It also counts and times each
  attempt (momentum_workflow_step_runs_total, ..._duration_seconds).
- ``workflow()`` wraps ``DBOS.workflow`` to count and time executions
  (momentum_workflow_runs_total, momentum_workflow_duration_seconds), which the
  workflow-failure alarm reads. It is the only workflow decorator: a bare ``DBOS.workflow``
  would run unseen by that alarm (``tests/test_workflows_declared.py`` checks).

``launch()`` imports the ``workflows`` module of every installed Momentum app that has one.
Each app's ``workflows`` module may define ``QUEUES`` ({name: register_queue options}),
``SCHEDULES`` (a list of ``DBOS.apply_schedules`` entries) and ``UNSCHEDULED`` (names of
schedules switched off: DBOS keeps schedules in its database until they are deleted);
``launch()`` gathers them. With ``MOMENTUM_WORKFLOW_SCHEDULES`` off, ``launch()`` deletes every
stored schedule before DBOS starts: each worker fires the schedules of the system database,
whichever process stored them (an earlier start with schedules on, another worker).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, ParamSpec, TypeVar

import sqlalchemy as sa
from dbos import DBOS, DBOSClient, DBOSConfig, EnqueueOptions
from django.apps import apps as django_apps
from django.conf import settings
from django.db import close_old_connections

from momentum.lib import request_context
from momentum.lib.logs import get_logger
from momentum.platform.meters import meter

log = get_logger("momentum.platform.durable")


P = ParamSpec("P")
R = TypeVar("R")


class _ProcessState:
    """What this process holds of DBOS: at most one launched executor, one client, one probe engine."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.client: DBOSClient | None = None
        self.launched_executor: str | None = None
        self.status_engine: sa.Engine | None = None


_state = _ProcessState()


def workflow_modules() -> list[str]:
    """The ``workflows`` module of every installed Momentum app that has one, in INSTALLED_APPS order."""
    found = [
        f"{app.name}.workflows"
        for app in django_apps.get_app_configs()
        if app.name.startswith("momentum.") and importlib.util.find_spec(f"{app.name}.workflows") is not None
    ]
    extra = [name for name in os.environ.get("MOMENTUM_EXTRA_WORKFLOW_MODULES", "").split(",") if name]
    return [*found, *extra]


def config(executor_id: str) -> DBOSConfig:
    return {
        "name": "momentum",
        "system_database_url": settings.DBOS_SYSTEM_DATABASE_URL,
        "application_version": settings.DBOS_APPLICATION_VERSION,
        "sys_db_pool_size": settings.DBOS_SYSTEM_DATABASE_POOL_SIZE,
        "executor_id": executor_id,
        "log_level": "WARNING",
        "notification_listener_polling_interval_sec": 0.2,
    }


def _import_workflow_modules() -> list[Any]:
    return [importlib.import_module(name) for name in workflow_modules()]


def launch(executor_id: str) -> None:
    """Start executing workflows in this process (once)."""
    with _state.lock:
        if _state.launched_executor is not None:
            if _state.launched_executor != executor_id:
                raise RuntimeError(f"DBOS already runs here as {_state.launched_executor}, not {executor_id}")
            return
        modules = _import_workflow_modules()
        if not settings.WORKFLOW_SCHEDULES:
            _delete_stored_schedules()
        DBOS(config=config(executor_id))
        DBOS.launch()
        schedules: list[Any] = []
        for module in modules:
            for name, options in getattr(module, "QUEUES", {}).items():
                queue_options = {"polling_interval_sec": settings.QUEUE_POLL_SECONDS, **options}
                DBOS.register_queue(name, on_conflict="always_update", **queue_options)
            schedules.extend(getattr(module, "SCHEDULES", []))
        if schedules and settings.WORKFLOW_SCHEDULES:
            DBOS.apply_schedules(schedules)
        for module in modules:
            for name in getattr(module, "UNSCHEDULED", []):
                DBOS.delete_schedule(name)
        _state.launched_executor = executor_id
        log.info("workflows_launched", executor_id=executor_id, modules=[m.__name__ for m in modules])


def _delete_stored_schedules() -> None:
    """Schedules off: none may stay in the system database, where DBOS's scheduler reads them."""
    migrate_system_database()
    stored = DBOSClient(system_database_url=settings.DBOS_SYSTEM_DATABASE_URL)
    try:
        names = [schedule["schedule_name"] for schedule in stored.list_schedules()]
        for name in names:
            stored.delete_schedule(name)
    finally:
        stored.destroy()
    if names:
        log.info("schedules_deleted", schedules=names)


def is_launched() -> bool:
    return _state.launched_executor is not None


def shutdown(timeout_seconds: int = 10) -> None:
    """Stop executing workflows; unfinished ones resume at their next step on restart."""
    with _state.lock:
        if _state.launched_executor is not None:
            DBOS.destroy(workflow_completion_timeout_sec=timeout_seconds)
            log.info("workflows_stopped", executor_id=_state.launched_executor)
            _state.launched_executor = None
        if _state.client is not None:
            _state.client.destroy()
            _state.client = None


def migrate_system_database() -> None:
    """Create or upgrade DBOS's tables (idempotent), so web processes can enqueue before any worker ran."""
    DBOS.migrate(settings.DBOS_SYSTEM_DATABASE_URL)


def release_system_database() -> None:
    """Close this process's connections to the workflow system database (the enqueue client and
    the readiness probe's), e.g. before that database is replaced. They reopen on next use."""
    with _state.lock:
        if _state.client is not None:
            _state.client.destroy()
            _state.client = None
        if _state.status_engine is not None:
            _state.status_engine.dispose()
            _state.status_engine = None


def client() -> DBOSClient:
    with _state.lock:
        if _state.client is None:
            migrate_system_database()
            _state.client = DBOSClient(system_database_url=settings.DBOS_SYSTEM_DATABASE_URL)
        return _state.client


def enqueue(workflow: Callable[..., Any], *args: Any, queue: str, workflow_id: str | None = None) -> str:
    """Queue ``workflow(*args)`` for a worker; returns its workflow ID (the same ID is run once)."""
    options: EnqueueOptions = {
        "queue_name": queue,
        "workflow_name": getattr(workflow, "dbos_function_name", None) or workflow.__qualname__,
        "app_version": settings.DBOS_APPLICATION_VERSION,
    }
    if workflow_id:
        options["workflow_id"] = workflow_id
    request_id = request_context.current_request_id()
    if request_id:
        options["attributes"] = {"request_id": request_id}  # shown with the workflow in DBOS's tools
    workflow_id_: str = client().enqueue(options, *args).get_workflow_id()
    return workflow_id_


def step(**options: Any) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``DBOS.step`` with database-connection hygiene for Django on DBOS's threads, counted and timed."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        module = fn.__module__.split(".")
        name = options.get("name") or f"{module[-2] if len(module) > 1 else module[0]}.{fn.__name__}"

        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            close_old_connections()
            started = time.perf_counter()
            outcome = "failed"
            try:
                result = fn(*args, **kwargs)
                outcome = "succeeded"
                return result
            except Exception as error:
                log.warning("step_failed", step=name, error=f"{type(error).__name__}: {error}"[:500])
                raise
            finally:
                meter().step_ended(name, outcome, time.perf_counter() - started)
                close_old_connections()

        return DBOS.step(**options)(run)

    return decorate


def workflow(name: str, **options: Any) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``DBOS.workflow(name=...)``, counted and timed. A recovered workflow counts as a new start."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            meter().workflow_started(name)
            started = time.perf_counter()
            outcome = "failed"
            try:
                result = fn(*args, **kwargs)
                outcome = "succeeded"
                return result
            finally:
                meter().workflow_ended(name, outcome, time.perf_counter() - started)

        return DBOS.workflow(name=name, **options)(run)

    return decorate


def bind_request(request_id: str | None) -> AbstractContextManager[None]:
    """Log a workflow's work under the request ID that started it."""
    return request_context.bound(request_id=request_id or "")


def system_database_status() -> dict[str, Any]:
    """Readiness: can we reach the workflow system database?"""
    url = settings.DBOS_SYSTEM_DATABASE_URL
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if not os.path.exists(path):
            return {"engine": "sqlite", "initialised": False, "launched": is_launched()}
    with _state.lock:
        if _state.status_engine is None:
            connect_args = {"connect_timeout": 2} if url.startswith("postgres") else {"timeout": 2}
            engine_url = (
                url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
            )
            _state.status_engine = sa.create_engine(engine_url, pool_pre_ping=True, connect_args=connect_args)
        engine = _state.status_engine
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    return {"engine": engine.dialect.name, "launched": is_launched()}
