"""Durable workflows of the achievements app (see momentum/platform/durable.py for QUEUES and SCHEDULES)."""

from __future__ import annotations

from typing import Any

QUEUES: dict[str, dict[str, Any]] = {}
SCHEDULES: list[dict[str, Any]] = []
