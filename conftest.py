"""Fixtures every suite shares: named personas, API clients, workflows run for real, Chromium."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from momentum.accounts.models import Role, User
from tests.factories import make_user
from tests.migrated_databases import TestDatabaseTemplate, migrated_process_databases, remove_sqlite
from tests.workflow_wakeup import queue_threads_wake_on_new_work


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers per core, at most six on SQLite and four on PostgreSQL. A worker's
    time goes partly to waiting (on the processes, servers and browsers a test starts), so two per
    core keep the cores busy; MOMENTUM_TEST_WORKERS overrides. Each worker has its own test
    database and Redis database (momentum/test_settings.py).

    On PostgreSQL each worker holds connection pools (Django's, the workflow engine's, its live
    servers'): four workers went past the server's 100 connections while the workflow engine kept
    DBOS's default 20 a process; the test profile keeps 3 (MOMENTUM_WORKFLOW_DB_POOL_SIZE), and
    the cap of four bounds the rest."""
    explicit = os.environ.get("MOMENTUM_TEST_WORKERS", "")
    if explicit:
        return int(explicit)
    cores = len(os.sched_getaffinity(0))
    most = 4 if os.environ.get("DATABASE_URL", "").startswith("postgres") else 6
    return min(2 * cores, most)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files that start real processes, then files that drive Chromium, run first (a stable sort:
    each group keeps its order). pytest-xdist hands out whole files in this order
    (`--no-loadscope-reorder`: by default it hands out the files with the most tests first, which
    left the one-test, two-minute process files to the end, run alone while the other workers
    idled: nine minutes of the last run's twenty).

    A test marked ``embedded_default`` sets its own processes on SQLite files and the disk cache
    whatever the pass: the PostgreSQL + Redis pass would run it unchanged, so it runs only in the
    SQLite pass. So does one marked ``markup_only`` (axe-core's WCAG sweep, the keyboard-only flows
    and walk of every page, the phone layout, the content security policy in Chromium, whether stored payloads
    run): it judges the markup the
    templates render, which the database does not change, and its page loads were among the
    PostgreSQL pass's slowest tests (the whole ``make test`` ran 26 minutes against a 25-minute
    budget; a CI run took 32 minutes on a slower machine). And so does one marked ``headers_only``
    (every page's security headers, where every page's redirect parameters lead): the request and
    our middleware and views decide those, whatever the database holds.

    Of the other browser tests, the PostgreSQL + Redis pass runs the journeys (marker ``journey``:
    a learner from sign-up to certificate and its revocation, search, a purchase, authoring,
    generation), which cross the whole stack on that database; the rest check what a page does in
    the browser, whose server side the view and API tests check in both passes. The pass ran
    15:25 on 2026-12-07 with them, and the two passes together 29:36 on that machine."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        repeated = pytest.mark.skip(reason="runs in the SQLite pass: it uses the embedded default in both passes")
        same_markup = pytest.mark.skip(reason="runs in the SQLite pass: what it checks is the same on either")
        not_a_journey = pytest.mark.skip(
            reason="runs in the SQLite pass: of the browser tests, this pass runs the journeys"
        )
        for item in items:
            if item.get_closest_marker("embedded_default"):
                item.add_marker(repeated)
            elif item.get_closest_marker("markup_only") or item.get_closest_marker("headers_only"):
                item.add_marker(same_markup)
            elif item.get_closest_marker("browser") and not item.get_closest_marker("journey"):
                item.add_marker(not_a_journey)

    def weight(item: pytest.Item) -> int:
        if item.get_closest_marker("integration"):
            return 0
        return 1 if item.get_closest_marker("browser") else 2

    items.sort(key=weight)


def _on_committed_data(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    fixtures = getattr(item, "fixturenames", ())
    return transactional or "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test on committed data cannot run inside a transaction a module holds open (the access
    matrix's shared world): its other threads would not see that data, and its flush would empty it."""
    from django.db import connection

    if _on_committed_data(item) and connection.in_atomic_block:
        pytest.fail(
            f"{item.nodeid} runs on committed data in a module that holds a transaction open (its shared "
            "`world`): move it to a module of its own, or use `committed_world`.",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this run's, which every xdist worker of the pass shares."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def _test_database_template(run_folder: Path, django_db_modify_db_settings: None) -> TestDatabaseTemplate:
    return TestDatabaseTemplate(run_folder, settings.DATABASES["default"])


@pytest.fixture(scope="session")
def django_db_keepdb(_test_database_template: TestDatabaseTemplate) -> bool:
    """This worker's test database is a copy of the pass's migrated template (tests/
    migrated_databases.py), which pytest-django then keeps: its `migrate` finds nothing to do."""
    _test_database_template.copy_to_this_worker()
    return True


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, _test_database_template: TestDatabaseTemplate, django_db_blocker: Any
) -> Iterator[None]:
    """pytest-django's setup, on the copy; at the end the copy goes, as pytest-django's own would."""
    from django.db import connections

    test_name = connections["default"].settings_dict["NAME"]
    yield
    with django_db_blocker.unblock():
        for connection in connections.all():
            connection.close()
            if hasattr(connection, "close_pool"):
                connection.close_pool()
    _test_database_template.drop_this_workers(test_name)


@pytest.fixture(scope="session")
def migrated_process_data(run_folder: Path) -> Path:
    """A data folder `momentum migrate` has migrated on the embedded default, once per pass: a test
    that starts `momentum` processes on SQLite files of its own copies them with
    ``copy_process_databases(migrated_process_data, data_dir)`` instead of migrating again."""
    return migrated_process_databases(run_folder)


@pytest.fixture(autouse=True, scope="session")
def _postgres_flushes_by_delete() -> Iterator[None]:
    """A test on committed data ends with a flush of every table. On PostgreSQL Django flushes with
    one TRUNCATE of all of them, which makes new files for every table and index: 0.3 s on an idle
    machine, 1 to 4 s under the suite's load (measured, teardown of the transactional tests), more
    than the test itself. The few rows a test leaves go faster with DELETE, with triggers and
    foreign keys off for that transaction (session_replication_role, as a restore does: every
    table is emptied, so no rule can be left broken). Sequences, when asked for, are still reset by
    TRUNCATE. Row by row, the flush can deadlock with a browser's late request: it is retried.
    (Taking TRUNCATE's table locks first instead was followed, in the one fresh-clone run made with
    it, by PostgreSQL refusing connections past its 100; a lock queue behind a waiting ACCESS
    EXCLUSIVE lock holding connections open is the likely cause, not proven.)"""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def delete_rows(
        self: Any, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        if reset_sequences or not tables or not _superuser_of(self.connection.alias):
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET LOCAL session_replication_role = replica"] + [
            f"DELETE FROM {self.quote_name(table)}"  # noqa: S608 (table names from the introspection, quoted)
            for table in tables
        ]

    execute = DatabaseOperations.execute_sql_flush

    def execute_again_after_a_deadlock(self: Any, sql_list: list[str]) -> None:
        """A browser's last request (a progress save as its tab closes) may still be writing: should
        PostgreSQL pick the flush to end a deadlock with it, the flush runs again."""
        from django.db import OperationalError

        for attempt in range(3):
            try:
                execute(self, sql_list)
                return
            except OperationalError as error:
                if attempt == 2 or getattr(error.__cause__, "sqlstate", "") != "40P01":
                    raise

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", delete_rows)
        patch.setattr(DatabaseOperations, "execute_sql_flush", execute_again_after_a_deadlock)
        yield


@functools.cache
def _superuser_of(alias: str) -> bool:
    from django.db import connections

    with connections[alias].cursor() as cursor:  # session_replication_role needs a superuser
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


@pytest.fixture(autouse=True, scope="session")
def _metrics_folder_claimed() -> Iterator[None]:
    """This process writes metrics too: it holds the metrics folder as `momentum serve` does, so a
    server or worker a test starts on the same data folder keeps this process's figures."""
    from momentum.observability import metrics_store

    handle = metrics_store.claim(Path(settings.METRICS_DIR))
    yield
    handle.close()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    from momentum.platform import anonymous_cache, caching
    from momentum.platform.request_limits import forget_local_counts

    cache.clear()
    forget_local_counts()  # the rate limits' local tallies of the shared counters just emptied
    anonymous_cache.clear()
    caching.MEMORY.clear()


@pytest.fixture(autouse=True)
def _mail_dir(tmp_path: Path, settings: Any) -> Path:
    """Each test reads only the email it caused (files under its own tmp dir)."""
    settings.MAIL_DIR = tmp_path / "mail"
    return settings.MAIL_DIR  # type: ignore[no-any-return]


@pytest.fixture
def mail_dir(_mail_dir: Path) -> Path:
    return _mail_dir


@pytest.fixture
def admin(db: None) -> User:
    return make_user("ada.admin@example.com", role=Role.ADMIN, display_name="Ada Admin")


@pytest.fixture
def learner(db: None) -> User:
    return make_user("lee.learner@example.com", display_name="Lee Learner")


@pytest.fixture
def premium_learner(db: None) -> User:
    return make_user("pia.premium@example.com", role=Role.PREMIUM, display_name="Pia Premium")


@pytest.fixture
def unverified_learner(db: None) -> User:
    return make_user("uma.unverified@example.com", verified=False, display_name="Uma Unverified")


@pytest.fixture
def stranger(db: None) -> User:
    return make_user("sam.stranger@example.com", display_name="Sam Stranger")


class ApiClient(Client):
    """A test client that speaks JSON to /api/v1 with a bearer token (or anonymously)."""

    def __init__(self, user: User | None = None, **defaults: Any) -> None:
        super().__init__(**defaults)
        self.user = user
        if user is not None:
            from momentum.accounts.tokens import issue_access_token

            self.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issue_access_token(user)}"

    def _url(self, path: str) -> str:
        """Paths are relative to /api/v1 unless they name another root."""
        return path if path.startswith(("/api/", "/healthz", "/readyz", "/metrics")) else f"/api/v1{path}"

    def get(self, path: str, data: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        return super().get(self._url(path), data, **extra)

    def post(self, path: str, data: Any = None, content_type: str = "application/json", **extra: Any) -> Any:  # type: ignore[override]
        return super().post(self._url(path), data, content_type=content_type, **extra)

    def put(self, path: str, data: Any = None, content_type: str = "application/json", **extra: Any) -> Any:  # type: ignore[override]
        return super().put(self._url(path), data, content_type=content_type, **extra)

    def patch(self, path: str, data: Any = None, content_type: str = "application/json", **extra: Any) -> Any:  # type: ignore[override]
        return super().patch(self._url(path), data, content_type=content_type, **extra)

    def delete(self, path: str, data: Any = None, content_type: str = "application/json", **extra: Any) -> Any:  # type: ignore[override]
        return super().delete(self._url(path), data, content_type=content_type, **extra)


@pytest.fixture
def api() -> ApiClient:
    """An anonymous API client; ``api_as(user)`` signs one in."""
    return ApiClient()


@pytest.fixture
def api_as() -> Any:
    return ApiClient


# --- Workflows, for real, in this process ----------------------------------------------------


@pytest.fixture(scope="session")
def _workflow_engine(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    from momentum.platform import durable

    url = settings.DBOS_SYSTEM_DATABASE_URL
    # /readyz or an earlier enqueue may have opened the system database already: let go of it
    # before it is replaced (a deleted SQLite file still held open fails with "disk I/O error" or
    # "attempt to write a readonly database").
    durable.release_system_database()
    if url.startswith("sqlite:///"):
        remove_sqlite(Path(url.removeprefix("sqlite:///")))
    else:
        _drop_postgres_database(url)
    with queue_threads_wake_on_new_work():
        with django_db_blocker.unblock():
            durable.launch(f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}")
        yield
        durable.shutdown(timeout_seconds=2)


def _drop_postgres_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def workflows(_workflow_engine: None, transactional_db: None) -> None:
    """DBOS runs in this process: enqueued workflows execute on its threads, as in a worker."""


# --- Chromium -------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def _chromium_of_the_module(_workflow_engine: None) -> Iterator[Any]:
    """One Chromium for the tests of a module (starting Playwright's driver and a browser cost
    about a second of CPU; a browser test file has several tests and runs on one xdist worker).

    Playwright's sync API keeps an asyncio event loop on this thread while it lives. DBOS
    refuses to launch beside one, so the workflow engine is launched first; Django refuses ORM
    calls beside one, so they are allowed for the browser's lifetime (the test's own calls are
    synchronous; the live server answers the browser from its own threads).
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def chromium(_chromium_of_the_module: Any) -> Iterator[Any]:
    """Chromium for this test: every context (cookies, storage, tabs) the test opens is closed
    when it ends, so no test sees another's session, as with a browser of its own."""
    browser = _chromium_of_the_module
    assert browser.contexts == [], "a browser context outlived its test"
    yield browser
    for context in list(browser.contexts):
        context.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser tab (its own cookies) pointed at the live server; fails on any page error."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.js_errors = errors
    yield tab
    context.close()


ARTIFACTS = Path(__file__).resolve().parent / "var" / "test-artifacts"


@pytest.fixture
def screenshot(request: Any) -> Any:
    """screenshot(page, "name") saves var/test-artifacts/<test>/<name>.png."""

    def take(tab: Any, name: str, *, full_page: bool = True) -> Path:
        folder = ARTIFACTS / request.node.name
        folder.mkdir(parents=True, exist_ok=True)
        path: Path = folder / f"{name}.png"
        tab.screenshot(path=str(path), full_page=full_page)
        return path

    return take
