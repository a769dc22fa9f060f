"""The test profile: momentum.settings with MOMENTUM_ENV=test and per-worker isolation."""

from __future__ import annotations

import os
from pathlib import Path

_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_worker_index = int(_worker.removeprefix("gw") or 0) if _worker.startswith("gw") else 0
os.environ["MOMENTUM_ENV"] = "test"
# pytest-xdist starts its workers from the controller, which has imported this module already:
# values it derived for itself ("gw0") must be derived again here, or all workers would share
# one data folder and one workflow system database (and run each other's queued workflows).
if os.environ.get("MOMENTUM_TEST_DERIVED_FOR", _worker) != _worker:
    for _name in ("MOMENTUM_DATA_DIR", "DBOS_SYSTEM_DATABASE_URL"):
        os.environ.pop(_name, None)
os.environ["MOMENTUM_TEST_DERIVED_FOR"] = _worker
os.environ.setdefault("MOMENTUM_DOTENV", os.devnull)  # a developer's .env must not steer the tests
os.environ.setdefault("MOMENTUM_DATA_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test" / _worker))
os.environ.setdefault("MOMENTUM_LOG_LEVEL", "WARNING")
# Workers that tests start as processes pick queued work up within half a second (they inherit
# this). Each poll of the fifteen queues costs a worker ~48 ms of CPU on SQLite: an idle worker
# took 49 % of a core at 0.1 s, 20 % at 0.5 s and 7.6 % at the default 1 s (measured 2026-12-07),
# and a pass runs several such workers for minutes.
os.environ.setdefault("MOMENTUM_QUEUE_POLL_SECONDS", "0.5")
# A worker's workflows are few at a time: a small pool keeps several workers under PostgreSQL's
# 100 connections (DBOS keeps up to 20 open per process by default). With 5, the PostgreSQL pass
# idled at ~55 connections and peaked at 100 while the process tests ran (measured, pg_stat_activity
# every 2 s): "too many clients" failed a backup test.
os.environ.setdefault("MOMENTUM_WORKFLOW_DB_POOL_SIZE", "3")
if os.environ.get("REDIS_URL"):
    # Each pytest worker has a Redis database of its own, so flushing one never touches another.
    # MOMENTUM_TEST_REDIS_DB is the first of them (counting down), for suites running side by side.
    _redis = os.environ["REDIS_URL"]
    _base = _redis.rsplit("/", 1)[0] if _redis.count("/") > 2 else _redis
    os.environ["REDIS_URL"] = f"{_base}/{int(os.environ.get('MOMENTUM_TEST_REDIS_DB', '15')) - _worker_index}"
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    _server, _name = os.environ["DATABASE_URL"].rsplit("/", 1)
    os.environ.setdefault("DBOS_SYSTEM_DATABASE_URL", f"{_server}/test_{_name}_dbos_{_worker}")
else:
    os.environ.setdefault("DBOS_SYSTEM_DATABASE_URL", f"sqlite:///{os.environ['MOMENTUM_DATA_DIR']}/dbos.sqlite3")

from momentum.settings import *  # noqa: E402, F403
from momentum.settings import DATABASES, PASSWORD_HASHERS, _replica  # noqa: E402

# On PostgreSQL a "replica" alias always exists in tests (the primary's test database, read-only
# sessions), so the router's tests can attribute each query to a database; without
# DATABASE_REPLICA_URL no router is installed and nothing else uses it.
if "postgresql" in DATABASES["default"]["ENGINE"] and "replica" not in DATABASES:
    DATABASES["replica"] = _replica(DATABASES["default"])

# Argon2 as in production, at a cost that keeps the suite fast.
PASSWORD_HASHERS = ["momentum.accounts.passwords.TestArgon2PasswordHasher", *PASSWORD_HASHERS]

# Every test client loads the middleware anew. Without autorefresh WhiteNoise indexes all of static/
# at each load (stat, headers, dates of ~80 files: a sixth of an API test file's time, measured);
# with it, a static file is found when one is asked for, as in development.
WHITENOISE_AUTOREFRESH = True

# The anonymous memory cache (ADR 0022) is keyed by the catalogue revision the database pushes.
# On SQLite the request's own connection reads it, uncommitted writes of a test's transaction
# included, so it stays on. On PostgreSQL the revision comes from NOTIFY, sent only when a
# transaction commits: tests that roll back never announce their writes, so it is off there
# except in the tests that commit (tests/test_anonymous_cache.py).
ANONYMOUS_CACHE = DATABASES["default"]["ENGINE"].endswith("sqlite3")
# The shared regions' memory tier is keyed by the same pushed revisions (momentum/platform/caching.py).
REGIONS_IN_MEMORY = ANONYMOUS_CACHE

# The workflow engine a pytest worker runs in-process polls its queues every 2 s and wakes them
# when a workflow is queued or ends (tests/workflow_wakeup.py): polling fifteen queues every 0.1 s
# cost each pytest worker a fifth of a core for the whole session, and every second ~5 % of one
# (a worker's poll costs ~48 ms of CPU, above). The tests that run workflows take as long at 2 s
# as at 1 s (10 files, 77 s against 78 s); at 10 s they took 112 s, so some work is found by a poll.
QUEUE_POLL_SECONDS = 2.0
