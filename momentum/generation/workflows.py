"""Durable workflows of the generation app (see momentum/durable.py for QUEUES and SCHEDULES)."""

from __future__ import annotations

from typing import Any

QUEUES: dict[str, dict[str, Any]] = {}
SCHEDULES: list[dict[str, Any]] = []
