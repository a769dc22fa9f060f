"""Two web processes and two workers on PostgreSQL + Redis behave as one site.

- a backup started through one web process is made by a worker;
- a catalogue page changed behind one web process is fresh on the other, and a course renamed
  through one web process is fresh on the other (the cache revisions, test_caching.py);
- /metrics adds up every process of the machine.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.integration.cluster import Cluster, Web, wait_for
from tests.migrated_databases import TestDatabaseTemplate

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        settings.DATABASE_VENDOR != "postgresql" or not settings.REDIS_URL,
        reason="runs in the PostgreSQL + Redis pass of `make test`",
    ),
]


@pytest.fixture(scope="module")
def cluster(
    tmp_path_factory: pytest.TempPathFactory, _test_database_template: TestDatabaseTemplate
) -> Iterator[tuple[Cluster, Web, Web]]:
    """The cluster's database is a copy of the pass's migrated template: `momentum migrate` still
    runs, as an operator would, and finds only the workflow engine's database to make."""
    import redis

    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    database_url = os.environ["DATABASE_URL"]  # the server of this test run; the cluster makes its own database
    root = tmp_path_factory.mktemp("cluster")
    with Cluster.on_postgres(root, database_url, settings.REDIS_URL, template=_test_database_template) as running:
        running.migrate()
        first, second = running.start_web(), running.start_web()
        running.start_worker()
        running.start_worker()
        yield running, first, second
    redis.Redis.from_url(settings.REDIS_URL).flushdb()


def admin_token(cluster: Cluster) -> str:
    return cluster.shell(
        "from momentum.accounts.actions import do_ensure_admin\n"
        "from momentum.accounts.tokens import issue_access_token\n"
        "user, _ = do_ensure_admin('ops.cluster@example.com', 'Correct-horse-42!'); print(issue_access_token(user))"
    ).splitlines()[-1]


def backup_through(first: Web, second: Web, token: str) -> dict[str, object]:
    """Start a backup through ``first``; follow it through ``second`` until a worker has finished it."""
    status, body = first.post("/api/v1/admin/backups", token=token)
    assert status == 202, body
    run_id = json.loads(body)["id"]

    def finished() -> dict[str, object] | None:
        code, shown = second.get(f"/api/v1/admin/backups/{run_id}", token=token)
        run = json.loads(shown) if code == 200 else {}
        return run if run.get("status") in ("succeeded", "failed") else None

    return wait_for(finished, timeout=120)  # type: ignore[no-any-return]


def test_a_backup_started_through_one_web_process_is_made_by_a_worker(cluster: tuple[Cluster, Web, Web]) -> None:
    running, first, second = cluster

    run = backup_through(first, second, admin_token(running))

    assert run["status"] == "succeeded", run["error"]
    assert Path(str(run["location"])).parent == running.root / "backups"
    assert Path(str(run["location"]), "manifest.json").is_file()


def change_course_title(cluster: Cluster, slug: str, title: str) -> None:
    """An operator's bulk ORM update in a separate process: no action, no web process knows."""
    cluster.shell(
        f"from momentum.catalog.models import Course; Course.objects.filter(slug={slug!r}).update(title={title!r})"
    )


def test_a_catalogue_page_changed_behind_one_web_process_is_fresh_on_the_other(
    cluster: tuple[Cluster, Web, Web],
) -> None:
    running, first, second = cluster
    running.shell(
        "from django.utils import timezone; from momentum.catalog.models import Category, Course; "
        "Course.objects.create(slug='cluster-course', title='Breathe in', category=Category.objects.first(), "
        "duration_days=7, status='PUBLISHED', published_at=timezone.now())"
    )
    assert b"Breathe in" in first.get("/courses/cluster-course/")[1]
    assert b"Breathe in" in second.get("/courses/cluster-course/")[1]

    change_course_title(running, "cluster-course", "Breathe out")

    for web in (first, second):
        status, page = web.get("/courses/cluster-course/")
        assert status == 200
        assert b"Breathe out" in page
        assert b"Breathe in" not in page


def test_a_course_renamed_through_one_web_process_is_fresh_on_the_other(cluster: tuple[Cluster, Web, Web]) -> None:
    running, first, second = cluster
    running.shell(
        "from django.utils import timezone; from momentum.catalog.models import Category, Course; "
        "Course.objects.create(slug='renamed-course', title='Slow mornings', category=Category.objects.first(), "
        "duration_days=7, status='PUBLISHED', published_at=timezone.now())"
    )
    for web in (first, second):  # both processes now hold the course in the shared cache
        assert json.loads(web.get("/api/v1/courses/renamed-course")[1])["title"] == "Slow mornings"

    status, body = first.patch("/api/v1/courses/renamed-course", {"title": "Quick mornings"}, admin_token(running))

    assert status == 200, body
    for web in (second, first):
        assert json.loads(web.get("/api/v1/courses/renamed-course")[1])["title"] == "Quick mornings"
        assert b"Quick mornings" in web.get("/api/v1/courses?q=mornings")[1]


def scraped(web: Web, name: str, **labels: str) -> float:
    status, body = web.get("/metrics")
    assert status == 200
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in body.decode().splitlines():
        match = re.match(rf"^{name}\{{(.*)\}} (\S+)$", line)
        if match and ",".join(sorted(match[1].split(","))) == wanted:
            return float(match[2])
    return 0.0


def test_metrics_add_up_the_requests_of_every_web_process_and_the_workers_work(
    cluster: tuple[Cluster, Web, Web],
) -> None:
    running, first, second = cluster
    backup_through(second, first, admin_token(running))
    labels = {"method": "GET", "route": "/healthz", "status": "200"}
    before = scraped(first, "momentum_http_requests_total", **labels)

    for _ in range(7):
        first.get("/healthz")
    for _ in range(5):
        second.get("/healthz")

    assert scraped(first, "momentum_http_requests_total", **labels) == before + 12
    assert scraped(second, "momentum_http_requests_total", **labels) == before + 12
    # the backup ran in a worker process; its workflow and steps count here too
    assert scraped(second, "momentum_workflow_runs_total", workflow="ops.backup", outcome="succeeded") >= 1
    assert scraped(first, "momentum_workflow_step_runs_total", step="recovery.perform_backup", outcome="succeeded") >= 1
