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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import connections, models, router

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any, Any, Any], Any]


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
        self._prepared: dict[str, tuple[str, list[tuple[int, list[Converter], Any]]]] = {}

    def _prepare(self, alias: str) -> tuple[str, list[tuple[int, list[Converter], Any]]]:
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
            prepared = self._prepared[alias] = (sql, converters)
        return prepared

    def all(self, params: Sequence[Any]) -> list[M]:
        alias = router.db_for_write(self.model) if self.lock else router.db_for_read(self.model)
        sql, converters = self._prepare(alias)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        found = []
        for row in rows:
            values = list(row)
            for position, functions, column in converters:
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


def _scalar(model: type[models.Model], template: str, params: Sequence[Any]) -> Any:
    connection = connections[router.db_for_read(model)]
    with connection.cursor() as cursor:
        cursor.execute(template.format(table=connection.ops.quote_name(model._meta.db_table)), params)
        row = cursor.fetchone()
    return None if row is None else row[0]
