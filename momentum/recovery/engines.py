"""Dump and restore the configured database, SQLite or PostgreSQL.

- SQLite: the online backup API copies a consistent snapshot while the site keeps writing
  (WAL); a restore copies the backup back the same way, in one step under SQLite's lock.
- PostgreSQL: ``pg_dump --format=custom`` from a snapshot exported by a REPEATABLE READ
  transaction, which also counts and checksums the tables, so the manifest describes exactly
  what the dump holds. A restore replays the dump with psql in one transaction (the schema is
  replaced whole, or nothing changes); a drill restores into a scratch database it then drops.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from momentum.recovery.inspection import Inspector, PostgresInspector, SqliteInspector, TableFacts, quote


class BackupError(RuntimeError):
    """A backup, restore or drill could not be done; the message says why."""


def work_dir() -> Path:
    """Scratch space for backups in the making and restores (beside the data, not in /tmp)."""
    folder = Path(settings.DATA_DIR) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Dump:
    path: Path
    tables: dict[str, TableFacts]
    migrations: dict[str, str]


def _release_django_connections() -> None:
    for connection in connections.all(initialized_only=True):
        connection.close()
        close_pool = getattr(connection, "close_pool", None)
        if close_pool is not None:
            close_pool()


class SqliteEngine:
    vendor = "sqlite"
    file_name = "database.sqlite3.gz"

    def __init__(self, path: Path) -> None:
        self.path = path

    @staticmethod
    def _connect(path: Path) -> Any:
        import sqlite3  # after momentum.sqlite_compat chose the module

        return sqlite3.connect(str(path), timeout=20)

    def dump(self, folder: Path) -> Dump:
        raw = folder / "database.sqlite3"
        source, copy = self._connect(self.path), self._connect(raw)
        try:
            source.backup(copy)  # one step: a consistent snapshot, writers carry on (WAL)
        finally:
            source.close()
        try:
            inspector = SqliteInspector(copy)
            tables, migrations = inspector.facts(), inspector.migrations()
        finally:
            copy.close()
        compressed = folder / self.file_name
        with raw.open("rb") as plain, gzip.open(compressed, "wb", compresslevel=6) as packed:
            shutil.copyfileobj(plain, packed, 1024 * 1024)
        raw.unlink()
        return Dump(compressed, tables, migrations)

    @contextmanager
    def _unpacked(self, dump_file: Path) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(dir=work_dir(), prefix="restore-") as folder:
            target = Path(folder) / "database.sqlite3"
            with gzip.open(dump_file, "rb") as packed, target.open("wb") as plain:
                shutil.copyfileobj(packed, plain, 1024 * 1024)
            yield target

    @contextmanager
    def scratch(self, dump_file: Path) -> Iterator[Inspector]:
        with self._unpacked(dump_file) as path:
            connection = self._connect(path)
            try:
                yield SqliteInspector(connection)
            finally:
                connection.close()

    @contextmanager
    def live(self) -> Iterator[Inspector]:
        connection = self._connect(self.path)
        try:
            yield SqliteInspector(connection)
        finally:
            connection.close()

    def restore_live(self, dump_file: Path) -> None:
        _release_django_connections()
        with self._unpacked(dump_file) as path:
            source, live = self._connect(path), self._connect(self.path)
            try:
                source.backup(live)
            finally:
                source.close()
                live.close()

    @contextmanager
    def scratch_copy(self, dump_file: Path) -> Iterator[Any]:
        """A writable copy of the dump (for anonymising); yields a DB-API connection."""
        with self._unpacked(dump_file) as path:
            connection = self._connect(path)
            try:
                yield connection
            finally:
                connection.close()

    def dump_connection(self, connection: Any, folder: Path) -> Dump:
        """Dump a scratch copy opened with ``scratch_copy`` (the anonymised database)."""
        connection.commit()
        target = SqliteEngine(Path(connection.execute("PRAGMA database_list").fetchone()[2]))
        return target.dump(folder)


class PostgresEngine:
    vendor = "postgresql"
    file_name = "database.pgdump"

    def __init__(self, database: dict[str, Any]) -> None:
        self.name = str(database["NAME"])
        self.host = str(database.get("HOST") or "localhost")
        self.port = str(database.get("PORT") or "5432")
        self.user = str(database.get("USER") or "postgres")
        self.password = str(database.get("PASSWORD") or "")

    def conninfo(self, name: str | None = None) -> dict[str, Any]:
        info = {"dbname": name or self.name, "host": self.host, "port": self.port, "user": self.user,
                "connect_timeout": 10}  # fmt: skip
        if self.password:
            info["password"] = self.password
        return info

    def _connect(self, name: str | None = None, *, autocommit: bool = False) -> Any:
        import psycopg

        return psycopg.connect(**self.conninfo(name), autocommit=autocommit)

    def _run(self, command: list[str], **options: Any) -> subprocess.CompletedProcess[bytes]:
        tool = shutil.which(command[0])
        if tool is None:
            raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)")
        environment = {**os.environ, "PGPASSWORD": self.password, "PGCONNECT_TIMEOUT": "10"}
        result = subprocess.run(
            [tool, *command[1:]], env=environment, capture_output=True,
            timeout=settings.BACKUP_TIMEOUT_SECONDS, check=False, **options,
        )  # fmt: skip
        if result.returncode != 0:
            raise BackupError(f"{command[0]} failed: {result.stderr.decode(errors='replace').strip()[-2000:]}")
        return result

    def _target(self, name: str) -> list[str]:
        return ["--host", self.host, "--port", self.port, "--username", self.user, "--dbname", name]

    def dump(self, folder: Path) -> Dump:
        import psycopg

        path = folder / self.file_name
        with self._connect() as connection:
            connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            connection.read_only = True
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            self._run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                       "--file", str(path), *self._target(self.name)])  # fmt: skip
            inspector = PostgresInspector(connection)
            tables, migrations = inspector.facts(), inspector.migrations()
            connection.rollback()
        return Dump(path, tables, migrations)

    @contextmanager
    def _scratch_database(self, dump_file: Path) -> Iterator[str]:
        name = f"{self.name[:40]}_scratch_{uuid.uuid4().hex[:10]}"
        with self._connect(autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {quote(name)} TEMPLATE template0")
            try:
                self._run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                           *self._target(name), str(dump_file)])  # fmt: skip
                yield name
            finally:
                admin.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")

    @contextmanager
    def scratch(self, dump_file: Path) -> Iterator[Inspector]:
        with self._scratch_database(dump_file) as name, self._connect(name) as connection:
            yield PostgresInspector(connection)

    @contextmanager
    def live(self) -> Iterator[Inspector]:
        with self._connect() as connection:
            yield PostgresInspector(connection)

    @contextmanager
    def scratch_copy(self, dump_file: Path) -> Iterator[Any]:
        with self._scratch_database(dump_file) as name, self._connect(name) as connection:
            connection.scratch_name = name
            yield connection

    def dump_connection(self, connection: Any, folder: Path) -> Dump:
        connection.commit()
        clone = PostgresEngine({"NAME": connection.scratch_name, "HOST": self.host, "PORT": self.port,
                                "USER": self.user, "PASSWORD": self.password})  # fmt: skip
        return clone.dump(folder)

    def restore_live(self, dump_file: Path) -> None:
        """Replace the database's schema with the dump's, in one transaction."""
        pg_restore, psql = shutil.which("pg_restore"), shutil.which("psql")
        if pg_restore is None or psql is None:
            raise BackupError("pg_restore and psql are needed (Debian: postgresql-client)")
        _release_django_connections()
        environment = {**os.environ, "PGPASSWORD": self.password, "PGCONNECT_TIMEOUT": "10"}
        with tempfile.TemporaryFile() as script_errors, tempfile.TemporaryFile() as apply_errors:
            script = subprocess.Popen(
                [pg_restore, "--no-owner", "--no-privileges", "--file", "-", str(dump_file)],
                stdout=subprocess.PIPE, stderr=script_errors, env=environment,
            )  # fmt: skip
            apply = subprocess.Popen(
                [psql, "--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1", "--single-transaction",
                 *self._target(self.name), "--file", "-"],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=apply_errors, env=environment,
            )  # fmt: skip
            if script.stdout is None or apply.stdin is None:  # pragma: no cover  (both are pipes)
                raise BackupError("could not connect pg_restore to psql")
            try:
                apply.stdin.write(b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
                shutil.copyfileobj(script.stdout, apply.stdin, 1024 * 1024)
                apply.stdin.close()
            except BrokenPipeError:
                pass  # psql stopped on an error: reported below
            script.stdout.close()
            script.wait(timeout=settings.BACKUP_TIMEOUT_SECONDS)
            apply.wait(timeout=settings.BACKUP_TIMEOUT_SECONDS)
            if apply.returncode != 0:
                apply_errors.seek(0)
                raise BackupError(
                    "psql failed; the database is unchanged (one transaction): "
                    + apply_errors.read().decode(errors="replace").strip()[-2000:]
                )
            if script.returncode != 0:
                script_errors.seek(0)
                raise BackupError(f"pg_restore failed: {script_errors.read().decode(errors='replace').strip()[-2000:]}")


def engine_for(vendor: str | None = None) -> SqliteEngine | PostgresEngine:
    """The engine of the configured database (and a check that a backup of ``vendor`` fits it)."""
    database = connections["default"].settings_dict  # the test database under tests
    engine: SqliteEngine | PostgresEngine = (
        PostgresEngine(database) if settings.DATABASE_VENDOR == "postgresql" else SqliteEngine(Path(database["NAME"]))
    )
    if vendor is not None and vendor != engine.vendor:
        raise BackupError(f"this is a {vendor} backup; the configured database is {engine.vendor}")
    return engine
