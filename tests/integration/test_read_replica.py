"""The read-replica router: which database serves which query (PostgreSQL), and no router on SQLite.

The replica here is a second connection, in a read-only session (as a hot standby refuses writes),
to the primary's test database: what Django's ``TEST: {"MIRROR": "default"}`` does for the
configured replica. It is in sync because it is the same data; replication lag is the one thing it
does not show, and the pin after a write is what guards against it. Every query is attributed to
the connection (the alias) that ran it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.test.utils import CaptureQueriesContext

from momentum.catalog.models import Course
from momentum.platform import db_router
from momentum.platform.db_router import PIN_COOKIE, PRIMARY, REPLICA, PrimaryReplicaRouter
from tests.factories import make_course

postgres_only = [
    pytest.mark.skipif(settings.DATABASE_VENDOR != "postgresql", reason="SQLite has no replica"),
    # committed rows, so the replica's connection sees what the primary's wrote
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]


@pytest.fixture
def replica(settings: Any) -> Iterator[None]:
    """The router and its middleware, over the test profile's "replica" alias (PostgreSQL)."""
    settings.DATABASE_ROUTERS = ["momentum.platform.db_router.PrimaryReplicaRouter"]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("momentum.accounts.sessions.SessionMiddleware"),
        "momentum.platform.db_router.ReplicaRoutingMiddleware",
    )
    settings.MIDDLEWARE = middleware
    settings.DATABASE_PIN_SECONDS = 5.0
    yield
    # the pool's idle connections would keep the test database from being dropped at the end
    connections[REPLICA].close()
    if getattr(connections[REPLICA], "pool", None) is not None:
        connections[REPLICA].close_pool()  # type: ignore[attr-defined]  # the PostgreSQL wrapper's


def apply(marks: list[Any]) -> Any:
    def decorate(test: Any) -> Any:
        for mark in marks:
            test = mark(test)
        return test

    return decorate


class Served:
    """The queries each database ran inside the block."""

    def __enter__(self) -> Served:
        self.primary = CaptureQueriesContext(connections[PRIMARY])
        self.replica = CaptureQueriesContext(connections[REPLICA])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    def on_primary(self) -> list[str]:
        return [q["sql"] for q in self.primary.captured_queries]

    def on_replica(self) -> list[str]:
        return [q["sql"] for q in self.replica.captured_queries]


@apply(postgres_only)
def test_a_learners_page_reads_are_served_by_the_replica(client: Any, learner: Any, replica: None) -> None:
    course = make_course("Replicated reads")
    client.force_login(learner)

    with Served() as served:
        response = client.get(f"/courses/{course.slug}/")

    assert response.status_code == 200
    assert any("catalog_course" in sql for sql in served.on_replica())
    assert any("django_session" in sql for sql in served.on_replica())
    assert served.on_primary() == []
    assert PIN_COOKIE not in response.cookies


@apply(postgres_only)
def test_a_write_keeps_the_rest_of_the_request_and_the_next_reads_on_the_primary(
    client: Any, learner: Any, replica: None
) -> None:
    course = make_course("Enrol and read back")
    client.force_login(learner)

    with Served() as served:
        response = client.post(f"/courses/{course.slug}/enroll/")
    assert response.status_code == 302
    assert any(sql.startswith("INSERT") and "learning_enrollment" in sql for sql in served.on_primary())
    assert served.on_replica() == []
    assert response.cookies[PIN_COOKIE]["max-age"] == 5

    # the redirect's page, with the pin cookie: the learner sees their own enrolment at once
    with Served() as served:
        page = client.get(response["Location"])
    assert page.status_code == 200
    assert any("learning_enrollment" in sql for sql in served.on_primary())
    assert served.on_replica() == []


@apply(postgres_only)
def test_once_the_pin_has_expired_reads_go_back_to_the_replica(client: Any, learner: Any, replica: None) -> None:
    course = make_course("Back to the replica")
    client.force_login(learner)
    client.post(f"/courses/{course.slug}/enroll/")
    del client.cookies[PIN_COOKIE]  # what the browser does after max-age seconds

    with Served() as served:
        assert client.get(f"/courses/{course.slug}/").status_code == 200

    assert served.on_primary() == []
    assert served.on_replica() != []


@apply(postgres_only)
def test_the_replica_refuses_a_write_as_a_standby_would(replica: None) -> None:
    with pytest.raises(DatabaseError, match="read-only"), connections[REPLICA].cursor() as cursor:
        cursor.execute("UPDATE catalog_course SET title = title")


@apply(postgres_only)
def test_outside_a_request_and_inside_a_transaction_reads_stay_on_the_primary(replica: None) -> None:
    with Served() as served:
        list(Course.objects.all())  # a worker, a command: no request
    assert served.on_replica() == []

    route = db_router.Route(replica_allowed=True)
    token = db_router._route.set(route)
    try:
        assert db_router.reads_go_to() == REPLICA
        with transaction.atomic():
            assert db_router.reads_go_to() == PRIMARY
    finally:
        db_router._route.reset(token)


def test_migrations_run_on_the_primary_only() -> None:
    router = PrimaryReplicaRouter()
    assert router.allow_migrate(PRIMARY, "catalog")
    assert not router.allow_migrate(REPLICA, "catalog")


def test_without_a_replica_there_is_no_router_and_no_replica_database() -> None:
    if settings.DATABASE_REPLICA_URL:
        pytest.skip("this run configures a replica")
    assert settings.DATABASE_ROUTERS == []
    if settings.DATABASE_VENDOR == "sqlite":
        assert REPLICA not in settings.DATABASES
    assert "momentum.platform.db_router.ReplicaRoutingMiddleware" not in settings.MIDDLEWARE
