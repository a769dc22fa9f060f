"""Durable workflow of xAPI: every minute, send the outbox's due statements to the LRS."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from momentum.platform import durable
from momentum.xapi import actions


@durable.step()
def send_due_statements(moment: datetime) -> int:
    # Not retried as a step: a failed batch is already kept with its own back-off in the outbox.
    return actions.do_send_due_statements(moment).delivered


@durable.workflow("xapi.send_statements")
def send_statements(scheduled_at: datetime, context: Any) -> int:
    """Every minute: post the due statements in batches; returns how many the LRS took."""
    return send_due_statements(scheduled_at)


SCHEDULES: list[dict[str, Any]] = [
    {"schedule_name": "xapi.send_statements", "workflow_fn": send_statements, "schedule": "0 * * * * *"},
]
