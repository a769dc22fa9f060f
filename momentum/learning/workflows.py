"""Durable workflows of the learning app: the daily reminder email and the daily notices (day
opened, cohort starting, streak at risk), one hourly workflow; see reminders.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from momentum.learning import reminders
from momentum.platform import durable

QUEUES: dict[str, dict[str, Any]] = {}


@durable.step()
def find_due_learners(moment: datetime) -> list[int]:
    return reminders.due_learner_ids(moment)


@durable.step(retries_allowed=True, max_attempts=3)
def remind(user_id: int, moment: datetime) -> bool:
    return reminders.send_reminder(user_id, moment)


@durable.step()
def find_notices_due(moment: datetime) -> dict[str, list[int]]:
    return {
        "day_opened": reminders.day_opened_learner_ids(moment),
        "cohort_starting": reminders.cohort_starting_learner_ids(moment),
        "streak_at_risk": reminders.streak_at_risk_learner_ids(moment),
    }


@durable.step(retries_allowed=True, max_attempts=3)
def notify(kind: str, user_id: int, moment: datetime) -> bool:
    send = {
        "day_opened": reminders.send_day_opened,
        "cohort_starting": reminders.send_cohort_starting,
        "streak_at_risk": reminders.send_streak_at_risk,
    }[kind]
    return send(user_id, moment)


@durable.workflow("learning.daily_reminders")
def daily_reminders(scheduled_at: datetime, context: Any) -> int:
    """Every hour: remind and notify the learners for whom it is now the hour of each.
    Returns how many reminders and notices went out."""
    sent = 0
    for user_id in find_due_learners(scheduled_at):
        sent += int(remind(user_id, scheduled_at))
    for kind, user_ids in find_notices_due(scheduled_at).items():
        for user_id in user_ids:
            sent += int(notify(kind, user_id, scheduled_at))
    return sent


SCHEDULES: list[dict[str, Any]] = [
    {"schedule_name": "learning.daily_reminders", "workflow_fn": daily_reminders, "schedule": "0 0 * * * *"},
]
