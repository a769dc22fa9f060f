"""/metrics: every process's figures added up, routes by pattern, protected in deployed profiles."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from prometheus_client.parser import text_string_to_metric_families

from momentum.observability import cache_metrics, metrics_store

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def scrape(client: Any, **headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict[Any, float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def run_in_another_process(code: str) -> int:
    """Run ``code`` in a separate Python process with this test's settings (the same metrics folder);
    returns that process's ID."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "momentum.test_settings", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", f"import django, os; django.setup()\n{code}\nprint(os.getpid())"],
        env=env, cwd=ROOT, check=True, timeout=60, capture_output=True, text=True,
    )  # fmt: skip
    return int(result.stdout.split()[-1])


def test_requests_are_counted_by_url_pattern_never_by_raw_path(client: Any) -> None:
    before = scrape(client)
    client.get("/healthz")
    client.get("/no-such-page-1/")
    client.get("/no-such-page-2/")

    after = scrape(client)

    count = "momentum_http_requests_total"
    assert (
        value(after, count, method="GET", route="/healthz", status="200")
        - value(before, count, method="GET", route="/healthz", status="200")
        == 1
    )
    assert (
        value(after, count, method="GET", route="<unmatched>", status="404")
        - value(before, count, method="GET", route="<unmatched>", status="404")
        == 2
    )
    assert not [labels for name, labels in after if dict(labels).get("route", "").startswith("/no-such-page")]
    assert value(after, "momentum_http_request_duration_seconds_count", method="GET", route="/healthz") >= 1


def test_metrics_add_up_every_process_of_the_machine(client: Any) -> None:
    before = value(scrape(client), "momentum_signups_total")

    run_in_another_process("from momentum.observability import metrics; metrics.SIGNUPS.inc(3)")

    assert value(scrape(client), "momentum_signups_total") == before + 3


def test_a_dead_process_is_folded_into_the_archive_without_losing_its_counts(client: Any) -> None:
    child = run_in_another_process(
        "from momentum.observability import metrics; metrics.ENROLLMENTS.inc(5); "
        "metrics.HTTP_IN_FLIGHT.inc(4); metrics.CIRCUIT_STATE.labels('probe').set(1)"
    )
    before = scrape(client)

    folded = metrics_store.compact_dead_processes(Path(settings.METRICS_DIR))

    after = scrape(client)
    assert folded >= 2
    assert value(after, "momentum_enrollments_total") == value(before, "momentum_enrollments_total")
    assert value(after, "momentum_circuit_open", provider="probe") == 0  # a dead process has no current value
    assert value(after, "momentum_http_requests_in_flight") < value(before, "momentum_http_requests_in_flight")
    assert list(Path(settings.METRICS_DIR).glob(f"*_{child}.db")) == []


def test_claiming_an_idle_metrics_folder_empties_it_but_a_busy_one_is_kept(tmp_path: Path) -> None:
    (tmp_path / "counter_999999.db").write_bytes(b"old")
    first = metrics_store.claim(tmp_path)
    assert not (tmp_path / "counter_999999.db").exists()

    (tmp_path / "counter_999998.db").write_bytes(b"a neighbour's")
    folder = repr(str(tmp_path))
    run_in_another_process(
        "from pathlib import Path; from momentum.observability import metrics_store; "
        f"metrics_store.claim(Path({folder}))"
    )
    assert (tmp_path / "counter_999998.db").exists()  # we still hold it: the second server kept its figures
    first.close()


def test_database_queries_and_cache_lookups_are_counted(client: Any, learner: Any) -> None:
    # The site's cache is metered. Other threads of this process (a live server, a worker) may use
    # it meanwhile, so the exact counts are taken on a second connection of the same backend and
    # configuration, counted under a name of its own.
    assert isinstance(caches["default"], cache_metrics.MeteredLocMemCache | cache_metrics.MeteredDiskCache
                      | cache_metrics.MeteredRedisCache | cache_metrics.MeteredFallbackRedisCache)  # fmt: skip
    probe = caches.create_connection("default")
    probe.metered_name = "probe"  # type: ignore[attr-defined]
    before = scrape(client)
    probe.set("probe", "value")
    probe.get("probe")
    probe.get("missing")
    list(type(learner).objects.all())

    after = scrape(client)

    lookups = "momentum_cache_lookups_total"
    assert value(after, lookups, cache="probe", result="hit") - value(before, lookups, cache="probe", result="hit") == 1
    assert (
        value(after, lookups, cache="probe", result="miss") - value(before, lookups, cache="probe", result="miss") == 1
    )
    queries = "momentum_db_queries_total"
    assert value(after, queries, operation="select") > value(before, queries, operation="select")
    assert value(after, "momentum_db_query_duration_seconds_count", operation="select") > 0


def test_gauges_from_the_database_are_exported(client: Any) -> None:
    samples = scrape(client)

    assert value(samples, "momentum_ai_daily_budget_usd") == 20.0
    assert value(samples, "momentum_backup_last_success_timestamp_seconds", kind="backup") > 0
    assert value(samples, "momentum_disk_size_bytes", volume="data") > 0


def test_metrics_in_a_deployed_profile_need_the_token(client: Any, settings: Any) -> None:
    settings.DEPLOYED = True
    settings.METRICS_TOKEN = "scrape-secret-0123456789"

    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret-0123456789").status_code == 200


def test_metrics_in_a_deployed_profile_answer_allowed_networks_only(client: Any, settings: Any) -> None:
    settings.DEPLOYED = True
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "::1/128"]

    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 403


def test_a_server_starting_beside_a_running_command_keeps_the_commands_figures(tmp_path: Path) -> None:
    folder = tmp_path / "metrics"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "momentum.test_settings", "MOMENTUM_METRICS_DIR": str(folder)}
    code = (
        "from momentum.observability import metrics; import time; metrics.SIGNUPS.inc(3); print('ready', flush=True); "
        + ("time.sleep(30)")
    )
    command = subprocess.Popen(
        [sys.executable, "-m", "momentum.cli", "shell", "-c", code],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert command.stdout is not None
        assert "ready\n" in iter(command.stdout.readline, "")  # after Django's shell has said its piece
        files = sorted(path.name for path in folder.glob(f"*_{command.pid}.db"))
        assert files

        server = metrics_store.claim(folder)  # what `momentum serve` does as it starts

        assert sorted(path.name for path in folder.glob(f"*_{command.pid}.db")) == files
        server.close()
    finally:
        command.kill()
        command.wait()
