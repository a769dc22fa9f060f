"""Folders Momentum writes to that nothing else makes, made at start-up rather than when the
settings are read (reading the settings acts on nothing)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def create_database_folder() -> None:
    """SQLite makes its database file but not the folder it goes in: make that before the first connection."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
