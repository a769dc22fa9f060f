"""Model instances read by plain SQL: the ORM's query compiler skipped on the hottest reads.

Building and compiling a QuerySet costs far more CPU than the database takes to answer a
primary-key or indexed lookup (measured on the lesson page's enrolment: 0.47 ms with the ORM,
0.035 ms this way, of which the database's answer is 0.02 ms). ``PlainRows`` keeps one model's
SELECT and the converters the ORM would apply to each column (aware datetimes, SQLite's 0/1
booleans, JSON), both worked out once per database, and builds instances through
``Model.from_db``, the hook the ORM itself loads rows through. The instances are the ORM's own:
related objects, saving and refreshing work on them as on any other.

For reads a request makes every time, with a fixed WHERE clause; everything else stays a
QuerySet. The database is the router's choice for reading the model, as for a QuerySet.
``update`` is the same for the one write a hot path repeats: a few columns set on the rows of
that WHERE clause, which come back as written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, NamedTuple, TypeVar, cast

from django.db import connections, models, router

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any, Any, Any], Any]


class _Prepared(NamedTuple):
    select: str  # the SELECT of the model's rows, ordered and locked as asked
    columns: str  # the model's columns, quoted, in the order of its fields
    converters: list[tuple[int, list[Converter], Any]]  # (position, the ORM's converters, the column)


class PlainRows(Generic[M]):
    """``model``'s rows matching ``where`` (SQL over the model's own column names, with ``%s``
    placeholders), in ``order_by`` (SQL, optional); ``lock``: the rows locked until the
    transaction ends (``FOR UPDATE`` where the database has it, as ``select_for_update``)."""

    def __init__(self, model: type[M], where: str, *, order_by: str = "", lock: bool = False) -> None:
        self.model = model
        self.where = where
        self.order_by = order_by
        self.lock = lock
        self.fields = model._meta.concrete_fields
        self.field_names = [field.attname for field in self.fields]
        self._prepared: dict[str, _Prepared] = {}
        self._updates: dict[tuple[str, tuple[str, ...]], str] = {}

    def _prepare(self, alias: str) -> _Prepared:
        prepared = self._prepared.get(alias)
        if prepared is None:
            connection = connections[alias]
            quote = connection.ops.quote_name
            table = self.model._meta.db_table
            columns = ", ".join(quote(str(field.column)) for field in self.fields)
            sql = f"SELECT {columns} FROM {quote(table)} WHERE {self.where}"  # noqa: S608  (the caller's SQL; values are placeholders)
            if self.order_by:
                sql += f" ORDER BY {self.order_by}"
            if self.lock and connection.features.has_select_for_update:
                sql += " FOR UPDATE"
            converters = []
            for position, field in enumerate(self.fields):
                column = field.get_col(table)
                found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                if found:
                    converters.append((position, found, column))
            prepared = self._prepared[alias] = _Prepared(sql, columns, converters)
        return prepared

    def all(self, params: Sequence[Any]) -> list[M]:
        alias = router.db_for_write(self.model) if self.lock else router.db_for_read(self.model)
        prepared = self._prepare(alias)
        with connections[alias].cursor() as cursor:
            cursor.execute(prepared.select, params)
            rows = cursor.fetchall()
        return self._instances(alias, prepared, rows)

    def update(self, values: dict[str, Any], params: Sequence[Any]) -> list[M]:
        """Set ``values`` (field name → value, made ready for the database as ``save`` makes them)
        on the matching rows in one statement, and return those rows as written (``RETURNING``:
        PostgreSQL, and SQLite from 3.35). ``params`` fill ``where``."""
        alias = router.db_for_write(self.model)
        connection = connections[alias]
        prepared = self._prepare(alias)
        fields = [cast("models.Field[Any, Any]", self.model._meta.get_field(name)) for name in values]
        sql = self._updates.get((alias, tuple(values)))
        if sql is None:
            quote = connection.ops.quote_name
            assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in fields)
            table = quote(self.model._meta.db_table)
            sql = self._updates[(alias, tuple(values))] = (
                f"UPDATE {table} SET {assignments} WHERE {self.where} RETURNING {prepared.columns}"  # noqa: S608  (as in _prepare)
            )
        ready = [
            field.get_db_prep_save(value, connection) for field, value in zip(fields, values.values(), strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*ready, *params])
            rows = cursor.fetchall()
        return self._instances(alias, prepared, rows)

    def _instances(self, alias: str, prepared: _Prepared, rows: list[Any]) -> list[M]:
        """The model's instances of ``rows``, each column converted as the ORM converts it."""
        connection = connections[alias]
        found = []
        for row in rows:
            values = list(row)
            for position, functions, column in prepared.converters:
                value = values[position]
                for function in functions:
                    value = function(value, column, connection)
                values[position] = value
            found.append(self.model.from_db(alias, self.field_names, values))
        return found

    def first(self, params: Sequence[Any]) -> M | None:
        """The first matching row (order it with ``order_by`` where more than one can match)."""
        found = self.all(params)
        return found[0] if found else None


def count(model: type[models.Model], where: str, params: Sequence[Any]) -> int:
    """How many of ``model``'s rows match ``where`` (as for ``PlainRows``)."""
    return _scalar(model, f"SELECT COUNT(*) FROM {{table}} WHERE {where}", params) or 0  # noqa: S608


def exists(model: type[models.Model], where: str, params: Sequence[Any]) -> bool:
    """Whether any of ``model``'s rows match ``where`` (as for ``PlainRows``)."""
    return _scalar(model, f"SELECT 1 FROM {{table}} WHERE {where} LIMIT 1", params) is not None  # noqa: S608


def answer(model: type[models.Model], sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows ``sql`` answers, read where ``model``'s reads go (the router's choice: the primary
    inside a transaction, so what it wrote is counted)."""
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _scalar(model: type[models.Model], template: str, params: Sequence[Any]) -> Any:
    table = connections[router.db_for_read(model)].ops.quote_name(model._meta.db_table)
    found = answer(model, template.format(table=table), params)
    return found[0][0] if found else None
