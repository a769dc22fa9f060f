"""Migrated databases, made once per pass and copied. Running our migrations costs about ten seconds
of CPU (Django renders its model states again at each of them), and a pass ran them once per xdist
worker and again in each test that starts `momentum` processes on fresh SQLite files.

- The workers' test databases: the first worker to need one migrates a template database in a
  process of its own (Django's `migrate --run-syncdb` under the test settings, as pytest-django
  would in this process); each worker then copies it and lets pytest-django's `migrate` find
  nothing to apply (``keepdb``). On PostgreSQL a copy is ``CREATE DATABASE ... TEMPLATE``, as
  Django's parallel test runner clones its test databases.
- The embedded default of the tests that start processes: one data folder migrated by
  `momentum migrate`, whose two SQLite files those tests copy into a folder of their own.

The workers take turns through file locks in the folder pytest-xdist gives the whole run.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PROCESS_DATABASES = ("momentum.sqlite3", "dbos.sqlite3")


@contextmanager
def turn(folder: Path, name: str) -> Iterator[None]:
    """One worker at a time, across the run's xdist workers."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database in WAL mode (its last writes may be in the -wal file)."""
    import sqlite3  # (the one momentum.settings chose: pysqlite3's where the system's is too old)

    target.parent.mkdir(parents=True, exist_ok=True)
    remove_sqlite(target)
    reader, writer = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        reader.close()
        writer.close()


def remove_sqlite(database: Path) -> None:
    """A SQLite database and its WAL files (a stale WAL beside a new file corrupts it)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def _migrate(env: dict[str, str], *command: str) -> None:
    result = subprocess.run([sys.executable, *command], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=300, check=False)  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


class TestDatabaseTemplate:
    """The pass's migrated test database, copied to each worker's test database."""

    __test__ = False  # a helper named Test…, imported into test modules: not a test class

    def __init__(self, folder: Path, settings_dict: dict[str, Any]) -> None:
        self.folder = folder
        self.settings_dict = settings_dict
        self.sqlite = settings_dict["ENGINE"].endswith("sqlite3")
        self.name = (
            str(folder / "test-database-template.sqlite3")
            if self.sqlite
            # Django's default test name when pytest-xdist has not set one (a run without -n)
            else f"{(settings_dict['TEST']['NAME'] or 'test_' + settings_dict['NAME']).rsplit('_gw', 1)[0]}_template"
        )

    def copy_to_this_worker(self) -> None:
        """This worker's test database, a copy of the template (made first if no worker has)."""
        self.copy_to(self.settings_dict["TEST"]["NAME"])

    def copy_to(self, target: str) -> None:
        """A copy of the template (made first if no worker has) as the database ``target``, on the
        pass's server (a file path on SQLite): what `migrate` would have left, without its ten seconds."""
        with turn(self.folder, "test-database-template"):
            if not (self.folder / "test-database-template.made").exists():
                self._make()
                (self.folder / "test-database-template.made").touch()
            if self.sqlite:
                copy_sqlite(Path(self.name), Path(target))
            else:
                self._postgres(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
                self._postgres(f'CREATE DATABASE "{target}" TEMPLATE "{self.name}"')

    def _make(self) -> None:
        if self.sqlite:
            url = f"sqlite:///{self.name}"
        else:
            self._postgres(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._postgres(f'CREATE DATABASE "{self.name}"')
            s = self.settings_dict
            login = quote(s["USER"] or "", safe="") + (":" + quote(s["PASSWORD"], safe="") if s["PASSWORD"] else "")
            url = f"postgres://{login}@{s['HOST']}:{s['PORT']}/{self.name}"
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "momentum.test_settings"}
        _migrate(env, "manage.py", "migrate", "--run-syncdb", "--no-input", "-v", "0")

    def drop_this_workers(self, test_name: str) -> None:
        """This worker's copy, at the end of the pass (pytest-django leaves a database it reused)."""
        if self.sqlite:
            remove_sqlite(Path(test_name))
        else:
            self._postgres(f'DROP DATABASE IF EXISTS "{test_name}" WITH (FORCE)')

    def _postgres(self, statement: str) -> None:
        import psycopg

        s = self.settings_dict
        server = {"host": s["HOST"], "port": s["PORT"], "user": s["USER"], "password": s["PASSWORD"]}
        given = {name: value for name, value in server.items() if value}
        with psycopg.connect(dbname="postgres", autocommit=True, **given) as connection:
            connection.execute(statement)  # (names from the test settings)


def migrated_process_databases(folder: Path) -> Path:
    """A data folder `momentum migrate` has migrated on the embedded default, made once per pass."""
    made = folder / "migrated-data"
    with turn(folder, "migrated-data"):
        if not (made / "migrated").exists():
            env = {**os.environ, "MOMENTUM_ENV": "test", "MOMENTUM_DATA_DIR": str(made), "MOMENTUM_DOTENV": os.devnull}
            for name in ("DATABASE_URL", "REDIS_URL", "DBOS_SYSTEM_DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
                env.pop(name, None)
            _migrate(env, "-m", "momentum.cli", "migrate", "-v", "0")
            (made / "migrated").touch()
    return made


def copy_process_databases(migrated: Path, data_dir: Path) -> None:
    """The migrated embedded default (Momentum's and the workflow engine's databases), in a test's
    own data folder, as `momentum migrate` would have left it."""
    for name in PROCESS_DATABASES:
        copy_sqlite(migrated / name, data_dir / name)
