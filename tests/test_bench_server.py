"""The load benchmark's server, started as `python -m bench.load` starts it: no scheduled workflow
runs in it, not even one an earlier run with schedules on left in its workflow database, and the
web processes whose CPU time it divides by the requests are the ones answering."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from dbos import DBOSClient

from bench import load
from tests.migrated_databases import copy_process_databases

pytestmark = [pytest.mark.integration, pytest.mark.embedded_default]


def test_the_benchmark_server_runs_no_schedule_even_one_an_earlier_run_left(
    tmp_path: Path, migrated_process_data: Path
) -> None:
    data = tmp_path / "data"
    env = load.server_environment(f"sqlite:///{data / 'momentum.sqlite3'}", "", data)
    copy_process_databases(migrated_process_data, data)
    workflow_database = f"sqlite:///{data / 'dbos.sqlite3'}"
    earlier_run = DBOSClient(system_database_url=workflow_database)
    earlier_run.create_schedule(
        schedule_name="ops.scheduled_backup", workflow_name="ops.scheduled_backup", schedule="0 */15 * * * *",
        queue_name="backups", application_name="momentum",
    )  # fmt: skip
    earlier_run.destroy()
    assert load.stored_schedules(workflow_database) == ["ops.scheduled_backup"]
    port = load.free_port()

    server = load.start_server(env, port, web_workers=1)
    try:
        load.wait_until_ready(server, port, web_workers=1)

        assert load.wait_for_no_schedules(workflow_database, within=60) == []
        web, others = load.server_processes(server.pid)
        assert web
        assert others  # the embedded workflow worker, told so by the benchmark:
        assert b"MOMENTUM_WORKFLOW_SCHEDULES=false" in Path(f"/proc/{others[0]}/environ").read_bytes().split(b"\0")
        before = load.cpu_snapshot(web)
        for _ in range(50):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/categories", timeout=30).read()
        assert load.cpu_spent(before, load.cpu_snapshot(web)) > 0
    finally:
        load.stop_server(server)
    assert load.stored_schedules(workflow_database) == []
