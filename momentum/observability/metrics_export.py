"""What /metrics answers: every process's metrics added up, plus gauges read from the database.

The database gauges (AI spend and budgets, last backup and drill, disks, in-app alarms, the xAPI outbox) are
the same for every process, so only web processes export them; a worker's own metrics server
(``MOMENTUM_WORKER_METRICS_ADDRESS``) exports just the process metrics. Rules aggregate the
database gauges with max(), never sum().
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from prometheus_client import CollectorRegistry, generate_latest, start_http_server
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector

from momentum.lib.logs import get_logger
from momentum.observability.metrics_store import LockedMultiProcessCollector
from momentum.platform import meters

log = get_logger("momentum.metrics")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class AppStateCollector(Collector):
    """Gauges read from the database and the disks at scrape time."""

    def collect(self) -> Iterable[Any]:
        for name, produce in (
            ("build", self._build),
            ("spend", self._spend),
            ("backups", self._backups),
            ("disks", self._disks),
            ("alarms", self._alarms),
            ("xapi", self._xapi),
        ):
            try:
                yield from produce()
            except Exception as error:  # one unreadable figure must not hide the others
                log.warning("metrics_gauge_failed", gauge=name, error=f"{type(error).__name__}: {error}")

    def _build(self) -> Iterable[Any]:
        info = InfoMetricFamily("momentum_build", "Momentum's version and profile")
        from importlib.metadata import version

        info.add_metric([], {"version": version("momentum"), "environment": settings.MOMENTUM_ENV,
                             "database": settings.DATABASE_VENDOR})  # fmt: skip
        yield info

    def _spend(self) -> Iterable[Any]:
        from momentum.sitesettings import queries as site_queries

        spend = site_queries.ai_spend()
        for name, help_text, value in (
            ("momentum_ai_spend_today_usd", "AI provider spend since 00:00 UTC, USD", spend.today_usd),
            ("momentum_ai_spend_month_usd", "AI provider spend this calendar month (UTC), USD", spend.month_usd),
            ("momentum_ai_daily_budget_usd", "Daily AI budget from the site settings, USD", spend.daily_budget_usd),
            ("momentum_ai_monthly_budget_usd", "Monthly AI budget, USD", spend.monthly_budget_usd),
        ):
            yield GaugeMetricFamily(name, help_text, value=float(value))

    def _backups(self) -> Iterable[Any]:
        from momentum.recovery import queries as recovery_queries
        from momentum.recovery.models import OperationKind

        last = GaugeMetricFamily(
            "momentum_backup_last_success_timestamp_seconds",
            "When the last successful backup, restore or drill finished (the installation time if none did)",
            labels=["kind"],
        )
        for kind in OperationKind:
            last.add_metric([kind.value], recovery_queries.last_success_time(kind).timestamp())
        yield last
        backup = recovery_queries.last_successful(OperationKind.BACKUP)
        yield GaugeMetricFamily(
            "momentum_backup_last_size_bytes",
            "Size of the last successful backup",
            value=backup.size_bytes if backup else 0,
        )
        drill = recovery_queries.last_successful(OperationKind.DRILL)
        yield GaugeMetricFamily(
            "momentum_dr_drill_last_rto_seconds",
            "Time to restore measured by the last successful drill",
            value=drill.duration_seconds if drill else 0,
        )

    def _disks(self) -> Iterable[Any]:
        from momentum.observability import queries

        free = GaugeMetricFamily("momentum_disk_free_bytes", "Free space where Momentum writes", labels=["volume"])
        size = GaugeMetricFamily(
            "momentum_disk_size_bytes", "Size of the disk where Momentum writes", labels=["volume"]
        )
        for volume in queries.volumes():
            free.add_metric([volume.name], volume.free_bytes)
            size.add_metric([volume.name], volume.total_bytes)
        yield free
        yield size

    def _alarms(self) -> Iterable[Any]:
        from momentum.observability import queries

        firing = GaugeMetricFamily(
            "momentum_alarm_firing", "1 while the in-app evaluator finds the alarm firing", labels=["alarm", "severity"]
        )
        for state in queries.alarm_states():
            firing.add_metric([state.name, state.severity], 1.0 if state.firing else 0.0)
        yield firing

    def _xapi(self) -> Iterable[Any]:
        from django.utils import timezone

        from momentum.xapi import queries as xapi_queries

        yield GaugeMetricFamily(
            "momentum_xapi_outbox_oldest_seconds",
            "How long the oldest xAPI statement not yet taken by the LRS has waited (0 when none waits)",
            value=xapi_queries.oldest_pending_seconds(timezone.now()),
        )
        yield GaugeMetricFamily(
            "momentum_xapi_outbox_pending", "xAPI statements waiting to be sent", value=xapi_queries.pending_count()
        )


def process_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(LockedMultiProcessCollector(Path(settings.METRICS_DIR)))
    return registry


def render(*, with_app_state: bool = True) -> bytes:
    meters.meter().flush()  # this process's buffered figures first
    registry = process_registry()
    if with_app_state:
        registry.register(AppStateCollector())
    return generate_latest(registry)


def families(*, with_app_state: bool = False) -> dict[str, Any]:
    """Every metric family of this machine by name (for the in-app evaluator and the ops page)."""
    meters.meter().flush()
    registry = process_registry()
    if with_app_state:
        registry.register(AppStateCollector())
    return {family.name: family for family in registry.collect()}


def gauge_values(name: str, label: str) -> dict[str, float]:
    family = families().get(name)
    if family is None:
        return {}
    return {sample.labels.get(label, ""): sample.value for sample in family.samples if sample.name == name}


def allowed(request: HttpRequest) -> bool:
    """/metrics is open in dev and test; deployed profiles need the token or an allowed network."""
    if not settings.DEPLOYED:
        return True
    header = request.headers.get("Authorization", "")
    if settings.METRICS_TOKEN and header.lower().startswith("bearer "):
        import hmac

        return hmac.compare_digest(header[7:].strip().encode(), settings.METRICS_TOKEN.encode())
    if settings.METRICS_ALLOWED_NETWORKS:
        from momentum.platform.client_address import client_ip

        address = client_ip(request)
        if address is None:
            return False
        try:
            caller = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(
            caller in ipaddress.ip_network(network, strict=False) for network in settings.METRICS_ALLOWED_NETWORKS
        )
    return False


def start_worker_server(address: str) -> None:
    """Serve this machine's process metrics on ``host:port`` (for workers, which have no web server)."""
    host, _, port = address.rpartition(":")
    start_http_server(int(port), addr=host or "127.0.0.1", registry=process_registry())
    log.info("worker_metrics_listening", address=address)
