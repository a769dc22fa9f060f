"""A production backup made safe for staging: people's emails, names, IP addresses and free text
about them masked, credentials and sessions dropped. The copy is restored into a scratch
database, masked there, checked (no original email, name or address may remain in any text
column of any table) and written as a new backup marked ``anonymized``.

Masking is deterministic per row: user 42 becomes ``user-42@example.invalid`` / "Learner 42"
everywhere, so relations and aggregates (enrolments, progress, payments) stay intact.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone

from momentum.recovery import manifest, media
from momentum.recovery.engines import BackupError, work_dir
from momentum.recovery.inspection import quote
from momentum.recovery.restore import _scratch_engine, fetched
from momentum.recovery.service import build_manifest
from momentum.recovery.targets import target_for

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
MASKED_DOMAIN = "@example.invalid"
MIN_NAME_LENGTH = 4  # shorter names are words, not identities
# Tables whose rows are credentials, sessions or copies of a person's data: dropped whole.
DROPPED = (
    "django_session", "accounts_refreshtoken", "mfa_authenticator", "account_emailconfirmation",
    "socialaccount_socialtoken", "socialaccount_socialaccount", "socialaccount_socialapp", "ops_idempotencyrecord",
    "webpush_pushsubscription",
)  # fmt: skip
# Schema tables with nothing personal in them, left out of the text scan.
SKIPPED = ("django_migrations", "django_content_type", "auth_permission", "sqlite_sequence")
MASKING = [
    "UPDATE accounts_user SET email = 'user-' || id || '@example.invalid', display_name = 'Learner ' || id, "
    "occupation = '', password = '!anonymized'",
    "UPDATE account_emailaddress SET email = (SELECT u.email FROM accounts_user u WHERE u.id = user_id)",
    "UPDATE ops_auditlog SET ip_address = NULL, user_agent = ''",
    "UPDATE accounts_notification SET body = ''",
    "UPDATE billing_webhookevent SET payload = '{}'",
]


@dataclass
class People:
    """What identifies the people in the backup, and what each becomes."""

    replacements: dict[str, str] = field(default_factory=dict)

    def scrub(self, text: str) -> str:
        for original, masked in self.replacements.items():
            if original in text:
                text = text.replace(original, masked)
        return EMAIL.sub(lambda m: m[0] if m[0].endswith(MASKED_DOMAIN) else _masked_email(m[0]), text)

    def leftovers(self, text: str) -> list[str]:
        return [original for original in self.replacements if original in text]


def _masked_email(address: str) -> str:
    import hashlib

    return f"masked-{hashlib.sha256(address.lower().encode()).hexdigest()[:10]}{MASKED_DOMAIN}"


class Scratch:
    """SQL on a scratch database through DB-API, the same for sqlite3 and psycopg."""

    def __init__(self, connection: Any, vendor: str) -> None:
        self.connection = connection
        self.vendor = vendor

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        cursor = self.connection.cursor()
        cursor.execute(sql.replace("?", "%s") if self.vendor == "postgresql" else sql, params)
        return cursor

    def tables(self) -> list[str]:
        if self.vendor == "postgresql":
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        else:
            # Real tables only: full-text indexes (virtual and shadow tables) are derived from them
            # and follow every change through their triggers.
            sql = (
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        return [name for (name,) in self.run(sql).fetchall()]

    def text_columns(self, table: str) -> list[tuple[str, bool]]:
        """(column, is_json) for every column that can hold text."""
        if self.vendor == "postgresql":
            rows = self.run(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position", (table,)
            ).fetchall()  # fmt: skip
            return [(name, kind in ("json", "jsonb")) for name, kind in rows
                    if kind in ("text", "character varying", "json", "jsonb", "inet")]  # fmt: skip
        rows = self.run(f"PRAGMA table_info({quote(table)})").fetchall()
        return [
            (row[1], False) for row in rows if not row[2] or any(t in row[2].upper() for t in ("CHAR", "TEXT", "CLOB"))
        ]

    def rows(self, table: str, columns: list[tuple[str, bool]]) -> Iterator[tuple[Any, list[str | None]]]:
        key = "ctid" if self.vendor == "postgresql" else "rowid"
        selected = ", ".join(
            f"{quote(name)}::text" if self.vendor == "postgresql" else quote(name) for name, _ in columns
        )
        cursor = self.run(f"SELECT {key}, {selected} FROM {quote(table)}")
        while batch := cursor.fetchmany(1000):
            for row in batch:
                yield row[0], [value if value is None or isinstance(value, str) else str(value) for value in row[1:]]

    def update(self, table: str, key: Any, changes: dict[str, tuple[str, bool]]) -> None:
        cast = {True: "::jsonb", False: ""} if self.vendor == "postgresql" else {True: "", False: ""}
        assignments = ", ".join(f"{quote(name)} = ?{cast[is_json]}" for name, (_, is_json) in changes.items())
        key_column = "ctid" if self.vendor == "postgresql" else "rowid"
        key_cast = "::tid" if self.vendor == "postgresql" else ""
        self.run(f"UPDATE {quote(table)} SET {assignments} WHERE {key_column} = ?{key_cast}",
                 (*[value for value, _ in changes.values()], key))  # fmt: skip


def _people(scratch: Scratch) -> People:
    people = People()
    for user_id, email, name in scratch.run("SELECT id, email, display_name FROM accounts_user").fetchall():
        people.replacements[email] = f"user-{user_id}{MASKED_DOMAIN}"
        if name and len(name) >= MIN_NAME_LENGTH:
            people.replacements[name] = f"Learner {user_id}"
    tables = set(scratch.tables())
    if "account_emailaddress" in tables:
        for user_id, email in scratch.run("SELECT user_id, email FROM account_emailaddress").fetchall():
            people.replacements.setdefault(email, f"user-{user_id}{MASKED_DOMAIN}")
    for table in ("ops_auditlog", "accounts_refreshtoken"):
        if table in tables:
            for (address,) in scratch.run(f"SELECT DISTINCT ip_address FROM {table} WHERE ip_address IS NOT NULL"):
                people.replacements[str(address)] = "0.0.0.0"  # noqa: S104  (a placeholder, not a bind address)
    # Longest first, so a name inside an email address is not replaced before the address.
    people.replacements = dict(sorted(people.replacements.items(), key=lambda item: -len(item[0])))
    return people


def mask(scratch: Scratch) -> dict[str, Any]:
    """Mask the scratch database in place; returns what was done (for the manifest)."""
    people = _people(scratch)
    tables = set(scratch.tables())
    dropped = [table for table in DROPPED if table in tables]
    for table in dropped:
        scratch.run(f"DELETE FROM {quote(table)}")
    for statement in MASKING:
        if statement.split()[1] in tables:
            scratch.run(statement)
    rewritten = 0
    for table in sorted(tables - set(SKIPPED) - set(dropped)):
        columns = scratch.text_columns(table)
        if not columns:
            continue
        for key, values in list(scratch.rows(table, columns)):
            changes = {}
            for (name, is_json), value in zip(columns, values, strict=True):
                if value is None:
                    continue
                cleaned = people.scrub(value)
                if is_json and cleaned != value:
                    cleaned = json.dumps(json.loads(cleaned))
                if cleaned != value:
                    changes[name] = (cleaned, is_json)
            if changes:
                scratch.update(table, key, changes)
                rewritten += 1
    scratch.connection.commit()
    leftovers = find_leftovers(scratch, people)
    if leftovers:
        raise BackupError("personal data remains after masking: " + "; ".join(leftovers[:10]))
    return {"people": sum(1 for v in people.replacements.values() if v.endswith(MASKED_DOMAIN)),
            "dropped_tables": dropped, "rows_rewritten": rewritten}  # fmt: skip


def find_leftovers(scratch: Scratch, people: People) -> list[str]:
    """Where any original email, name or IP address still appears (table.column)."""
    found = []
    for table in sorted(set(scratch.tables()) - set(SKIPPED)):
        columns = scratch.text_columns(table)
        for _key, values in scratch.rows(table, columns) if columns else []:
            for (name, _), value in zip(columns, values, strict=True):
                if value and people.leftovers(value):
                    found.append(f"{table}.{name}")
    return sorted(set(found))


def anonymize_backup(source: str | None, *, destination: str | None = None, environment: str = "staging") -> str:
    """Write an anonymised copy of the ``source`` backup to ``destination``; returns its location."""
    started = time.monotonic()
    target = target_for(destination)
    with fetched(source) as (where, folder, body):
        vendor = body["database"]["vendor"]
        engine = _scratch_engine(vendor)
        name = manifest.backup_name(environment, timezone.now(), uuid.uuid4().hex[:6])
        staging = target.staging_dir(name) or Path(tempfile.mkdtemp(dir=work_dir(), prefix=".partial-"))
        try:
            with engine.scratch_copy(folder / body["database"]["file"]) as connection:
                report = mask(Scratch(connection, vendor))
                dump = engine.dump_connection(connection, staging)
            media_facts = None
            if body.get("media"):
                shutil.copyfile(folder / media.FILE_NAME, staging / media.FILE_NAME)
                media_facts = media.MediaFacts(
                    body["media"]["files"], body["media"]["bytes"], body["media"]["tree_sha256"]
                )
            origin = {"name": body["name"], "location": where, "environment": body["environment"]}
            result = build_manifest(name=name, dump=dump, vendor=vendor, media_facts=media_facts, folder=staging,
                                    source=origin, masking=report,
                                    anonymize_seconds=round(time.monotonic() - started, 3))  # fmt: skip
            result.update(environment=environment, anonymized=True)
            manifest.write(staging, result)
            target.publish(staging, name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target.location(name)
