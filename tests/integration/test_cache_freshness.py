"""On the embedded default (SQLite, a local cache in each process), a write through one web
process shows on the next read through another: cached entries are keyed by the revision the
database keeps, not by anything a process would have to tell the others."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.cluster import Cluster, Web
from tests.migrated_databases import copy_process_databases

pytestmark = [pytest.mark.integration, pytest.mark.embedded_default]


@pytest.fixture(scope="module")
def two_processes(
    tmp_path_factory: pytest.TempPathFactory, migrated_process_data: Path
) -> Iterator[tuple[Cluster, Web, Web]]:
    with Cluster.on_sqlite(tmp_path_factory.mktemp("sqlite-cluster")) as running:
        copy_process_databases(migrated_process_data, Path(running.env["MOMENTUM_DATA_DIR"]))
        yield running, running.start_web(), running.start_web()


def admin_token(cluster: Cluster) -> str:
    return cluster.shell(
        "from momentum.accounts.actions import do_ensure_admin\n"
        "from momentum.accounts.tokens import issue_access_token\n"
        "user, _ = do_ensure_admin('ops.cache@example.com', 'Correct-horse-42!'); print(issue_access_token(user))"
    ).splitlines()[-1]


def test_a_course_renamed_through_one_process_is_fresh_in_the_local_cache_of_the_other(
    two_processes: tuple[Cluster, Web, Web],
) -> None:
    running, first, second = two_processes
    running.shell(
        "from django.utils import timezone; from momentum.catalog.models import Category, Course; "
        "Course.objects.create(slug='local-course', title='Tea at four', category=Category.objects.first(), "
        "duration_days=7, status='PUBLISHED', published_at=timezone.now())"
    )
    for web in (first, second):
        for _ in range(2):  # the second read is a hit in that process's own cache
            assert json.loads(web.get("/api/v1/courses/local-course")[1])["title"] == "Tea at four"

    status, body = first.patch("/api/v1/courses/local-course", {"title": "Tea at five"}, admin_token(running))

    assert status == 200, body
    assert json.loads(second.get("/api/v1/courses/local-course")[1])["title"] == "Tea at five"
    listed = json.loads(second.get("/api/v1/courses")[1])
    assert [item["title"] for item in listed["items"]] == ["Tea at five"]
