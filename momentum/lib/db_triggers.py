"""Migration operations for rules that CHECK constraints cannot express.

Each operation writes the SQL for SQLite and for PostgreSQL, so a rule holds in the
database whatever client writes to it (the ORM, a bulk update, raw SQL, a restore).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import migrations
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState


@dataclass(frozen=True)
class VendorSQL:
    sqlite_forward: list[str]
    sqlite_backward: list[str]
    postgresql_forward: list[str]
    postgresql_backward: list[str]


class RunVendorSQL(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, name: str, sql: VendorSQL) -> None:
        self.name = name
        self.sql = sql

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def _run(self, schema_editor: BaseDatabaseSchemaEditor, statements: list[str]) -> None:
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def database_forwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: Any, to_state: Any
    ) -> None:
        vendor = schema_editor.connection.vendor
        self._run(schema_editor, getattr(self.sql, f"{vendor}_forward"))

    def database_backwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: Any, to_state: Any
    ) -> None:
        vendor = schema_editor.connection.vendor
        self._run(schema_editor, getattr(self.sql, f"{vendor}_backward"))

    def describe(self) -> str:
        return f"Database rule: {self.name}"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.name, self.sql], {})


_PG_TOUCH_FUNCTION = """
CREATE OR REPLACE FUNCTION momentum_touch_updated_at() RETURNS trigger AS $$
BEGIN
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := clock_timestamp();
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""


_PG_TOUCH_UNLESS_COUNTED = """
CREATE OR REPLACE FUNCTION momentum_touch_updated_at_unless_counted() RETURNS trigger AS $$
DECLARE
    counter_column text;
BEGIN
    FOREACH counter_column IN ARRAY TG_ARGV LOOP
        IF to_jsonb(NEW) -> counter_column IS DISTINCT FROM to_jsonb(OLD) -> counter_column THEN
            RETURN NEW;
        END IF;
    END LOOP;
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := clock_timestamp();
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""


def keep_updated_at(table: str, *, counters: tuple[str, ...] = ()) -> RunVendorSQL:
    """updated_at moves on every UPDATE that did not set it itself (bulk and raw SQL too).

    ``counters``: denormalised counts that other tables' triggers keep (a course's enrollment_count):
    an UPDATE that moves one of them is bookkeeping, not a change of the row, and leaves updated_at.
    """
    trigger = f"{table}_touch_updated_at"
    unchanged = "".join(f" AND NEW.{column} IS OLD.{column}" for column in counters)
    arguments = ", ".join(f"'{column}'" for column in counters)
    pg_function, pg_call = (
        (_PG_TOUCH_UNLESS_COUNTED, f"momentum_touch_updated_at_unless_counted({arguments})")
        if counters
        else (_PG_TOUCH_FUNCTION, "momentum_touch_updated_at()")
    )
    return RunVendorSQL(
        f"{table}.updated_at kept on update" + (f" (not for {', '.join(counters)})" if counters else ""),
        VendorSQL(
            sqlite_forward=[
                f"CREATE TRIGGER {trigger} AFTER UPDATE ON {table} FOR EACH ROW "
                f"WHEN NEW.updated_at IS OLD.updated_at{unchanged} BEGIN "
                f"UPDATE {table} SET updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE rowid = NEW.rowid; END"
            ],
            sqlite_backward=[f"DROP TRIGGER IF EXISTS {trigger}"],
            postgresql_forward=[
                pg_function,
                f"CREATE TRIGGER {trigger} BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {pg_call}",
            ],
            postgresql_backward=[f"DROP TRIGGER IF EXISTS {trigger} ON {table}"],
        ),
    )


def replace_rule(name: str, old: RunVendorSQL, new: RunVendorSQL) -> RunVendorSQL:
    """A migration's change of a rule: ``old`` dropped and ``new`` created (and the reverse going back)."""
    return RunVendorSQL(
        name,
        VendorSQL(
            sqlite_forward=[*old.sql.sqlite_backward, *new.sql.sqlite_forward],
            sqlite_backward=[*new.sql.sqlite_backward, *old.sql.sqlite_forward],
            postgresql_forward=[*old.sql.postgresql_backward, *new.sql.postgresql_forward],
            postgresql_backward=[*new.sql.postgresql_backward, *old.sql.postgresql_forward],
        ),
    )


def reinstate(rule: RunVendorSQL) -> RunVendorSQL:
    """``rule`` dropped and created again: the last operation of a migration whose ALTER makes Django
    rebuild the rule's table on SQLite (create, copy, drop, rename), which loses its triggers.

    PostgreSQL alters tables in place: nothing to do there. Going backwards, the rebuild that undoes
    the ALTER loses them again and ``restore_missing`` (after migrate) brings them back.
    """
    return RunVendorSQL(
        f"{rule.name} (after a rebuild)",
        VendorSQL(
            sqlite_forward=[*rule.sql.sqlite_backward, *rule.sql.sqlite_forward],
            sqlite_backward=[],
            postgresql_forward=[],
            postgresql_backward=[],
        ),
    )


def counter(*, parent: str, parent_column: str, child: str, child_fk: str, name: str) -> RunVendorSQL:
    """parent.parent_column counts the child rows that point at it, maintained on insert/delete."""
    inc, dec = f"{child}_{name}_inc", f"{child}_{name}_dec"
    pg_fn = f"momentum_{child}_{name}_count"
    return RunVendorSQL(
        f"{parent}.{parent_column} counts {child}",
        VendorSQL(
            sqlite_forward=[
                f"CREATE TRIGGER {inc} AFTER INSERT ON {child} FOR EACH ROW BEGIN "
                f"UPDATE {parent} SET {parent_column} = {parent_column} + 1 "
                f"WHERE id = NEW.{child_fk}; END",
                f"CREATE TRIGGER {dec} AFTER DELETE ON {child} FOR EACH ROW BEGIN "
                f"UPDATE {parent} SET {parent_column} = {parent_column} - 1 "
                f"WHERE id = OLD.{child_fk}; END",
            ],
            sqlite_backward=[f"DROP TRIGGER IF EXISTS {inc}", f"DROP TRIGGER IF EXISTS {dec}"],
            postgresql_forward=[
                f"""
CREATE OR REPLACE FUNCTION {pg_fn}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE {parent} SET {parent_column} = {parent_column} + 1
        WHERE id = NEW.{child_fk};
        RETURN NEW;
    ELSE
        UPDATE {parent} SET {parent_column} = {parent_column} - 1
        WHERE id = OLD.{child_fk};
        RETURN OLD;
    END IF;
END;
$$ LANGUAGE plpgsql
""",
                f"CREATE TRIGGER {inc} AFTER INSERT OR DELETE ON {child} FOR EACH ROW EXECUTE FUNCTION {pg_fn}()",
            ],
            postgresql_backward=[f"DROP TRIGGER IF EXISTS {inc} ON {child}", f"DROP FUNCTION IF EXISTS {pg_fn}()"],
        ),
    )


_TRIGGER_NAME = re.compile(r"CREATE TRIGGER\s+(?:IF NOT EXISTS\s+)?(\w+)", re.IGNORECASE)


def _declared_rules(connection: BaseDatabaseWrapper) -> list[RunVendorSQL]:
    """The RunVendorSQL operations of every migration applied to this database."""
    loader = MigrationLoader(connection)
    applied = loader.applied_migrations or {}
    rules: list[RunVendorSQL] = []
    for key in applied:
        migration = loader.disk_migrations.get(key)
        if migration is not None:
            rules.extend(op for op in migration.operations if isinstance(op, RunVendorSQL))
    return rules


def _existing_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()}


def restore_missing(connection: BaseDatabaseWrapper) -> list[str]:
    """Re-create every rule whose trigger is gone, and name the rules restored.

    On SQLite, Django rebuilds a table (create, copy, drop, rename) for many ALTERs, and the
    rebuilt table has no triggers. Each rule is dropped (its backward SQL, all IF EXISTS) and
    created again, so a rule is always whole.
    """
    existing = _existing_triggers(connection)
    restored = []
    for rule in _declared_rules(connection):
        forward = getattr(rule.sql, f"{connection.vendor}_forward")
        expected = {match for statement in forward for match in _TRIGGER_NAME.findall(statement)}
        if expected - existing:
            with connection.cursor() as cursor:
                for statement in [*getattr(rule.sql, f"{connection.vendor}_backward"), *forward]:
                    cursor.execute(statement)
            restored.append(rule.name)
    return restored


_SQLITE_NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
_PG_NOW_US = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint"


def _sqlite_bump(revisions: str, scope: str) -> str:
    return (
        f"INSERT INTO {revisions} (scope, revision) VALUES ({scope}, {_SQLITE_NOW_US}) "
        f"ON CONFLICT (scope) DO UPDATE SET revision = MAX(revision + 1, excluded.revision);"
    )


def _pg_bump_function(function: str, revisions: str, scope: str) -> str:
    """A trigger function that moves ``scope`` (an SQL expression over OLD/NEW or a literal) forward."""
    row = "rec" if "rec." in scope else ""
    pick = "IF TG_OP = 'DELETE' THEN rec := OLD; ELSE rec := NEW; END IF;" if row else ""
    declare = "DECLARE rec RECORD;" if row else ""
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
{declare}
BEGIN
    {pick}
    INSERT INTO {revisions} (scope, revision) VALUES ({scope}, {_PG_NOW_US})
    ON CONFLICT (scope) DO UPDATE SET revision = GREATEST({revisions}.revision + 1, EXCLUDED.revision);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def revision_on_write(
    *,
    table: str,
    revisions: str,
    scope: str,
    user_column: str = "",
    events: tuple[str, ...] = ("insert", "update", "delete"),
    update_of: tuple[str, ...] = (),
) -> RunVendorSQL:
    """Every write to ``table`` moves a cache revision forward in the same transaction.

    The scope is the literal ``scope`` ("catalogue"), or ``scope:<user_column of the row>``
    when ``user_column`` is given ("learner:42"). PostgreSQL bumps a literal scope once per
    statement; SQLite, which has only row triggers, once per row. ``events`` narrows the writes
    that count (a new row nobody has read yet need not move it), and ``update_of`` narrows an
    update to one that sets these columns.
    """
    name = f"{table}_revision"
    if user_column:
        sqlite_new, sqlite_old = f"'{scope}:' || NEW.{user_column}", f"'{scope}:' || OLD.{user_column}"
        pg_scope, level = f"'{scope}:' || rec.{user_column}", "ROW"
        function = f"momentum_{scope}_revision_of_{table}"
    else:
        sqlite_new = sqlite_old = f"'{scope}'"
        pg_scope, level = f"'{scope}'", "STATEMENT"
        function = f"momentum_{scope}_revision"
    expressions = {"insert": sqlite_new, "update": sqlite_new, "delete": sqlite_old}
    of = f" OF {', '.join(update_of)}" if update_of else ""
    pg_events = " OR ".join(event.upper() + (of if event == "update" else "") for event in events)
    return RunVendorSQL(
        f"writes to {table} move the {scope} cache revision",
        VendorSQL(
            sqlite_forward=[
                f"CREATE TRIGGER {name}_{event} AFTER {event.upper()}{of if event == 'update' else ''} ON {table} "
                f"FOR EACH ROW BEGIN {_sqlite_bump(revisions, expressions[event])} END"
                for event in events
            ],
            sqlite_backward=[f"DROP TRIGGER IF EXISTS {name}_{event}" for event in events],
            postgresql_forward=[
                _pg_bump_function(function, revisions, pg_scope),
                f"CREATE TRIGGER {name} AFTER {pg_events} ON {table} FOR EACH {level} EXECUTE FUNCTION {function}()",
            ],
            postgresql_backward=[f"DROP TRIGGER IF EXISTS {name} ON {table}"],
        ),
    )


class SetRulesAside(migrations.operations.base.Operation):
    """The first operation of a migration that makes Django rebuild ``table`` on SQLite: drops every
    trigger whose SQL names the table (its own and other tables' that read it), since SQLite refuses
    to drop and rename a table that other tables' triggers refer to. ``RestoreLostRules`` at the end
    of the migration creates them again. PostgreSQL alters in place: nothing is done.
    """

    reversible = True
    reduces_to_sql = False

    def __init__(self, table: str) -> None:
        self.table = table

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def _drop(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        word = re.compile(rf"\b{re.escape(self.table)}\b")
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            names = [name for name, sql in cursor.fetchall() if word.search(sql or "")]
            for name in names:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')

    def database_forwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: Any, to_state: Any
    ) -> None:
        self._drop(schema_editor)

    def database_backwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: Any, to_state: Any
    ) -> None:
        pass  # ``restore_missing`` after migrate puts back the rules of the migrations still applied

    def describe(self) -> str:
        return f"Database rules naming {self.table} set aside for a rebuild"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.table], {})


class RestoreLostRules(migrations.operations.base.Operation):
    """The last operation of a migration that makes Django rebuild ``table`` on SQLite (an added NOT
    NULL column, a new CHECK): every declared rule whose trigger the rebuild dropped is created again.

    ``reinstate`` does the same for one named rule; this covers every rule on a table with many
    (search, counters, touch, cache revisions), including those of other apps' migrations.
    PostgreSQL alters in place: nothing is lost, nothing is done.
    """

    reversible = True
    reduces_to_sql = False

    def __init__(self, table: str) -> None:
        self.table = table

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def database_forwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: Any, to_state: Any
    ) -> None:
        restore_missing(schema_editor.connection)

    def database_backwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: Any, to_state: Any
    ) -> None:
        SetRulesAside(self.table)._drop(schema_editor)  # the rebuild that undoes the ALTER comes next

    def describe(self) -> str:
        return f"Database rules of {self.table} restored after a rebuild"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.table], {})
