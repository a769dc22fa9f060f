"""Make sure the SQLite that Django and DBOS use is new enough.

DBOS's SQLite system database uses ``unixepoch('subsec')`` (SQLite >= 3.42). Some Python
builds link an older system SQLite (Debian 12 ships 3.40). When the standard library's
SQLite is too old and the ``pysqlite3`` wheel (which bundles a current SQLite) is installed,
it takes the place of ``sqlite3`` for the whole process, before anything opens a database.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys

MINIMUM = (3, 42, 0)


def _version(module: object) -> tuple[int, ...]:
    return tuple(int(part) for part in module.sqlite_version.split("."))  # type: ignore[attr-defined]


def ensure_modern_sqlite() -> None:
    if _version(sqlite3) >= MINIMUM:
        return
    try:
        replacement = importlib.import_module("pysqlite3")
    except ImportError:
        raise RuntimeError(
            f"Momentum needs SQLite >= {'.'.join(map(str, MINIMUM))}; this Python links "
            f"{sqlite3.sqlite_version}. Install the 'pysqlite3-binary' package or use a Python built "
            "against a newer SQLite."
        ) from None
    sys.modules["sqlite3"] = replacement
    sys.modules["sqlite3.dbapi2"] = replacement.dbapi2
