"""Writes of the xAPI app: a statement into the outbox (inside the caller's transaction), and the
worker's sending of due statements to the LRS in batches.

Learning, assessments and credentials call ``record_statement`` from their own actions, next to the
learning event they record, so the statement commits or rolls back with it and no request waits
for the network. ``do_send_due_statements`` runs in the worker (``xapi.send_statements``, every
minute): it claims due statements, posts them in batches and marks what the LRS took. A batch that
fails stays PENDING with its next attempt put off (30 s, 1 min, 2 min... at most an hour, or the
LRS's Retry-After); the MomentumXapiOutboxStuck alarm fires while the oldest waits past its limit.

With no LRS configured (``MOMENTUM_XAPI_LRS_URL`` empty) nothing is recorded: an outbox that nobody
reads would only pile up personal data. Statements of events before the LRS was configured are not
made afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from momentum.lib import clock
from momentum.lib.logs import get_logger
from momentum.observability import metrics
from momentum.xapi import lrs, queries
from momentum.xapi.models import ERROR_MAX_LENGTH, OutboxStatement, OutboxStatus, XapiActor
from momentum.xapi.statements import Built

log = get_logger("momentum.xapi")

FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
CLAIM = timedelta(minutes=5)  # a claimed batch is not due again before its send has surely ended
MAX_BATCHES_PER_RUN = 20


def actor_name(user: Any) -> uuid.UUID:
    """The learner's opaque name in statements, made on first use and kept."""
    found = XapiActor.objects.filter(user=user).values_list("name", flat=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return XapiActor.objects.create(user=user).name
    except IntegrityError:  # made by a concurrent request
        return XapiActor.objects.values_list("name", flat=True).get(user=user)


def record_statement(
    user: Any, build: Callable[[uuid.UUID], Built | None], *, now: datetime | None = None
) -> OutboxStatement | None:
    """Queue the statement ``build(actor name)`` makes about ``user``, in the caller's transaction.

    ``build`` is called only when xAPI is on and may return None (nothing to say, e.g. a lesson seen
    by someone not enrolled). Returns the outbox row, or None when nothing was queued."""
    if not queries.enabled() or not getattr(user, "is_authenticated", False):
        return None
    built = build(actor_name(user))
    if built is None:
        return None
    now = now or clock.now()
    row = OutboxStatement.objects.create(
        statement_id=uuid.UUID(built.statement["id"]), user=user, verb=built.verb, statement=built.statement,
        created_at=now, next_attempt_at=now,
    )  # fmt: skip
    transaction.on_commit(metrics.XAPI_STATEMENTS.labels("recorded").inc)
    return row


@dataclass
class SendReport:
    delivered: int = 0
    retried: int = 0


def do_send_due_statements(now: datetime | None = None) -> SendReport:
    """Send the statements whose time has come, a batch at a time, until none is due or the LRS
    fails a batch (the rest then waits for the back-off rather than hammering a failing LRS)."""
    report = SendReport()
    if not queries.enabled():
        return report
    now = now or clock.now()
    for _ in range(MAX_BATCHES_PER_RUN):
        batch = _claim(now, settings.XAPI_BATCH_SIZE)
        if not batch:
            break
        _send(batch, now, report)
        if report.retried:
            break
    if report.delivered or report.retried:
        log.info("xapi_statements_sent", delivered=report.delivered, retried=report.retried)
    return report


def _claim(now: datetime, size: int) -> list[OutboxStatement]:
    """Due statements, each claimed (its next attempt moved on) so that two workers never both send it."""
    claimed: list[int] = []
    for pk, due_at in queries.due_statements(now, size):
        if OutboxStatement.objects.filter(pk=pk, status=OutboxStatus.PENDING, next_attempt_at=due_at).update(
            next_attempt_at=now + CLAIM
        ):
            claimed.append(pk)
    return list(OutboxStatement.objects.filter(pk__in=claimed).order_by("created_at", "pk"))


def _send(batch: list[OutboxStatement], now: datetime, report: SendReport) -> None:
    answer = lrs.post_statements([row.statement for row in batch])
    if answer.outcome is lrs.Outcome.SPLIT:
        for row in batch:
            _send([row], now, report)
        return
    ids = [row.pk for row in batch]
    if answer.outcome is lrs.Outcome.DELIVERED:
        OutboxStatement.objects.filter(pk__in=ids, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.SENT, sent_at=now, attempts=F("attempts") + 1, last_error=""
        )
        report.delivered += len(batch)
        metrics.XAPI_STATEMENTS.labels("delivered").inc(len(batch))
        return
    for row in batch:
        wait = _backoff(row.attempts + 1, answer.retry_after_seconds)
        OutboxStatement.objects.filter(pk=row.pk, status=OutboxStatus.PENDING).update(
            attempts=F("attempts") + 1, next_attempt_at=now + wait, last_error=answer.error[:ERROR_MAX_LENGTH]
        )
    report.retried += len(batch)
    metrics.XAPI_STATEMENTS.labels("retried").inc(len(batch))
    log.warning("xapi_batch_failed", statements=len(batch), status=answer.status_code, error=answer.error)


def _backoff(attempts: int, retry_after_seconds: int | None) -> timedelta:
    """30 s after the first failure, doubling up to an hour; never sooner than the LRS asked."""
    wait: timedelta = min(FIRST_BACKOFF * 2 ** min(attempts - 1, 20), MAX_BACKOFF)
    if retry_after_seconds is not None:
        wait = max(wait, timedelta(seconds=min(retry_after_seconds, int(MAX_BACKOFF.total_seconds()))))
    return wait
