"""What a database holds, the same way for SQLite and PostgreSQL: tables, row counts, checksums,
foreign keys. A backup records these of its snapshot; a restore or drill recomputes them on the
restored copy and compares.

Identifiers in the SQL below come from the database's own catalogue, never from input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Protocol

BATCH = 2000


class Cursor(Protocol):
    def execute(self, sql: Any, params: Any = ..., /) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchmany(self, size: int = ..., /) -> list[Any]: ...
    def fetchone(self) -> Any: ...


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


@dataclass
class TableFacts:
    rows: int
    checksum: str


@dataclass
class IntegrityReport:
    foreign_keys_checked: int = 0
    orphans: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.orphans and not self.problems


class Inspector:
    """Reads one database through a DB-API connection (sqlite3 or psycopg)."""

    vendor = ""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def cursor(self) -> Any:
        return self.connection.cursor()

    def tables(self) -> list[str]:
        raise NotImplementedError

    def row_count(self, table: str) -> int:
        cursor = self.cursor()
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")
        return int(cursor.fetchone()[0])

    def checksum(self, table: str) -> str:
        raise NotImplementedError

    def integrity(self) -> IntegrityReport:
        raise NotImplementedError

    def facts(self) -> dict[str, TableFacts]:
        return {table: TableFacts(self.row_count(table), self.checksum(table)) for table in self.tables()}

    def migrations(self) -> dict[str, str]:
        """The latest applied migration of each app (the schema the data belongs to)."""
        cursor = self.cursor()
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        latest: dict[str, str] = {}
        for app, name in cursor.fetchall():
            latest[app] = max(latest.get(app, ""), name)
        return latest

    def _digest(self, cursor: Any, encode: Any) -> str:
        digest = hashlib.sha256()
        while rows := cursor.fetchmany(BATCH):
            for row in rows:
                digest.update(encode(row))
                digest.update(b"\n")
        return digest.hexdigest()


class SqliteInspector(Inspector):
    vendor = "sqlite"

    def tables(self) -> list[str]:
        cursor = self.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        return [name for (name,) in cursor.fetchall()]

    def _order(self, table: str) -> str:
        cursor = self.cursor()
        cursor.execute(f"PRAGMA table_info({quote(table)})")
        keys = sorted((row[5], row[1]) for row in cursor.fetchall() if row[5])
        return ", ".join(quote(name) for _, name in keys) if keys else "rowid"

    def checksum(self, table: str) -> str:
        cursor = self.cursor()
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {self._order(table)}")
        return self._digest(cursor, lambda row: repr(tuple(row)).encode())

    def integrity(self) -> IntegrityReport:
        report = IntegrityReport()
        cursor = self.cursor()
        cursor.execute("PRAGMA integrity_check")
        verdict = [row[0] for row in cursor.fetchall()]
        if verdict != ["ok"]:
            report.problems.extend(str(line) for line in verdict[:20])
        for table in self.tables():
            cursor.execute(f"PRAGMA foreign_key_list({quote(table)})")
            report.foreign_keys_checked += len({row[0] for row in cursor.fetchall()})
        cursor.execute("PRAGMA foreign_key_check")
        for table, rowid, parent, _fk in cursor.fetchall()[:100]:
            report.orphans.append(f"{table} row {rowid} points to a missing {parent}")
        return report


class PostgresInspector(Inspector):
    vendor = "postgresql"

    def __init__(self, connection: Any) -> None:
        super().__init__(connection)
        cursor = self.cursor()
        # Text forms of timestamps and floats depend on these: the same on both sides of a comparison.
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute("SET extra_float_digits = 1")

    def tables(self) -> list[str]:
        cursor = self.cursor()
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
        return [name for (name,) in cursor.fetchall()]

    def _order(self, table: str) -> str:
        cursor = self.cursor()
        cursor.execute(
            """
            SELECT a.attname FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = %s::regclass AND i.indisprimary
            ORDER BY array_position(i.indkey, a.attnum)
            """,
            (quote(table),),
        )
        keys = [name for (name,) in cursor.fetchall()]
        return ", ".join(quote(name) for name in keys) if keys else "t::text"

    def checksum(self, table: str) -> str:
        cursor = self.cursor()
        cursor.execute(f"SELECT md5(t::text) FROM {quote(table)} AS t ORDER BY {self._order(table)}")
        return self._digest(cursor, lambda row: row[0].encode())

    def integrity(self) -> IntegrityReport:
        report = IntegrityReport()
        cursor = self.cursor()
        cursor.execute(
            """
            SELECT c.conname, child.relname, parent.relname,
                   ARRAY(SELECT attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                         JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k.n ORDER BY k.i),
                   ARRAY(SELECT attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                         JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k.n ORDER BY k.i)
            FROM pg_constraint c
            JOIN pg_class child ON child.oid = c.conrelid
            JOIN pg_class parent ON parent.oid = c.confrelid
            JOIN pg_namespace ns ON ns.oid = child.relnamespace
            WHERE c.contype = 'f' AND ns.nspname = current_schema()
            ORDER BY c.conname
            """
        )
        for name, child, parent, columns, referenced in cursor.fetchall():
            report.foreign_keys_checked += 1
            present = " AND ".join(f"c.{quote(column)} IS NOT NULL" for column in columns)
            joined = " AND ".join(f"p.{quote(r)} = c.{quote(c)}" for c, r in zip(columns, referenced, strict=True))
            cursor.execute(
                f"SELECT count(*) FROM {quote(child)} AS c WHERE {present} "
                f"AND NOT EXISTS (SELECT 1 FROM {quote(parent)} AS p WHERE {joined})"
            )
            orphans = int(cursor.fetchone()[0])
            if orphans:
                report.orphans.append(f"{orphans} row(s) of {child} break {name} (→ {parent})")
        return report


def compare(expected: dict[str, Any], found: dict[str, TableFacts]) -> list[str]:
    """Differences between the manifest's tables and those of a restored database."""
    problems = []
    for table, facts in sorted(expected.items()):
        actual = found.get(table)
        if actual is None:
            problems.append(f"table {table} is missing")
            continue
        if actual.rows != facts["rows"]:
            problems.append(f"table {table}: {actual.rows} rows, the backup had {facts['rows']}")
        elif actual.checksum != facts["checksum"]:
            problems.append(f"table {table}: contents differ from the backup (checksum)")
    problems.extend(f"table {table} is not in the backup" for table in sorted(set(found) - set(expected)))
    return problems
