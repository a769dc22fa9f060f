"""API schemas of the operations app (alarms)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class AlarmOut(Schema):
    name: str
    severity: str
    firing: bool
    value: float | None
    message: str
    since: datetime
    evaluated_at: datetime


class AlarmList(Schema):
    items: list[AlarmOut]
