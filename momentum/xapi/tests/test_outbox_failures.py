"""When the LRS is down, busy or loses its answer, statements stay in the outbox, are retried with
back-off, raise the operators' alarm while they wait too long, and reach Ralph exactly once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from momentum.catalog.models import Course
from momentum.learning.actions import do_enroll, do_record_lesson_view
from momentum.observability import alarms
from momentum.observability.models import AlarmState
from momentum.xapi.actions import do_send_due_statements
from momentum.xapi.models import OutboxStatement, OutboxStatus
from momentum.xapi.tests.conftest import FaultProxy, point_at
from momentum.xapi.tests.ralph_lrs import RalphServer, free_port
from tests.factories import make_course

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def course(db: None) -> Course:
    return make_course("Outbox under stress", duration_days=7)


def now() -> datetime:
    return timezone.now().replace(microsecond=0)


def stored_ids(ralph: RalphServer) -> list[str]:
    return [statement["id"] for statement in ralph.statements()]


def test_an_lrs_that_is_down_keeps_the_statement_retries_it_later_and_raises_the_alarm(
    settings: Any, ralph: RalphServer, learner: Any, course: Course
) -> None:
    # given an LRS that refuses connections
    point_at(settings, f"http://127.0.0.1:{free_port()}/xAPI")
    start = now()
    do_enroll(learner, course, now=start)
    row = OutboxStatement.objects.get(user=learner)
    # when the worker sends
    report = do_send_due_statements(start)
    # then the statement is kept, its next attempt 30 s away, and it is not due before
    row.refresh_from_db()
    assert (report.delivered, report.retried) == (0, 1)
    assert (row.status, row.attempts, row.next_attempt_at) == (OutboxStatus.PENDING, 1, start + timedelta(seconds=30))
    assert "ConnectionError" in row.last_error
    assert do_send_due_statements(start + timedelta(seconds=10)).retried == 0
    # and after an hour of failures the alarm fires
    for minutes in (1, 2, 4, 8, 16, 32, 61):
        do_send_due_statements(start + timedelta(minutes=minutes))
    alarms.evaluate_one(alarms.XAPI_OUTBOX_ALARM, now=start + timedelta(minutes=61, seconds=1))
    state = AlarmState.objects.get(name=alarms.XAPI_OUTBOX_ALARM)
    assert state.firing is True
    assert "1 xAPI statements wait" in state.message
    # when the LRS is back, the next due attempt delivers it and the alarm resolves
    point_at(settings, ralph.xapi_url)
    report = do_send_due_statements(start + timedelta(hours=3))
    alarms.evaluate_one(alarms.XAPI_OUTBOX_ALARM, now=start + timedelta(hours=3))
    row.refresh_from_db()
    assert (report.delivered, row.status) == (1, OutboxStatus.SENT)
    assert stored_ids(ralph).count(str(row.statement_id)) == 1
    assert AlarmState.objects.get(name=alarms.XAPI_OUTBOX_ALARM).firing is False


def test_a_busy_lrs_503_then_429_gets_the_batch_once_after_the_back_off(
    proxy: FaultProxy, ralph: RalphServer, learner: Any, course: Course
) -> None:
    # given two statements and an LRS that answers 503, then 429 (Retry-After), then takes them
    start = now()
    do_enroll(learner, course, now=start)
    do_record_lesson_view(learner, course.lessons.get(day=1), now=start)
    proxy.script = ["503", "429"]
    # when the worker tries at each due time
    first = do_send_due_statements(start)
    second = do_send_due_statements(start + timedelta(seconds=30))
    early = do_send_due_statements(start + timedelta(seconds=60))
    third = do_send_due_statements(start + timedelta(seconds=90))
    # then the batch went as one POST each time and was delivered on the third, once
    assert [r.retried for r in (first, second, early, third)] == [2, 2, 0, 0]
    assert third.delivered == 2
    assert proxy.seen == ["503", "429", "pass"]
    ids = [str(i) for i in OutboxStatement.objects.filter(user=learner).values_list("statement_id", flat=True)]
    assert all(stored_ids(ralph).count(i) == 1 for i in ids)
    assert set(OutboxStatement.objects.filter(user=learner).values_list("status", "attempts")) == {
        (OutboxStatus.SENT, 3)
    }


def test_a_batch_whose_answer_was_lost_is_sent_again_and_stored_once(
    proxy: FaultProxy, ralph: RalphServer, learner: Any, course: Course
) -> None:
    # given a batch that Ralph stores but whose answer never reaches us
    start = now()
    do_enroll(learner, course, now=start)
    do_record_lesson_view(learner, course.lessons.get(day=1), now=start)
    proxy.script = ["lost"]
    # when the worker sends, and again once the back-off is over
    lost = do_send_due_statements(start)
    again = do_send_due_statements(start + timedelta(seconds=30))
    # then Ralph has each statement once (the same ids again are no new statements) and both are sent
    assert (lost.retried, again.delivered) == (2, 2)
    ids = [str(i) for i in OutboxStatement.objects.filter(user=learner).values_list("statement_id", flat=True)]
    assert sorted(i for i in stored_ids(ralph) if i in ids) == sorted(ids)
    assert not OutboxStatement.objects.filter(user=learner, status=OutboxStatus.PENDING).exists()


def test_a_statement_id_ralph_already_holds_with_409_counts_as_delivered_and_the_rest_of_the_batch_goes(
    to_ralph: RalphServer, learner: Any, course: Course
) -> None:
    # given two statements, the first of whose ids Ralph already stores with other content
    start = now()
    do_enroll(learner, course, now=start)
    do_record_lesson_view(learner, course.lessons.get(day=1), now=start)
    first, second = OutboxStatement.objects.filter(user=learner).order_by("created_at", "pk")
    other = {**first.statement, "timestamp": (start - timedelta(days=1)).isoformat()}
    assert to_ralph.request("POST", "/statements", [other])[0] == 200
    # when the worker sends the batch (Ralph refuses it whole with 409)
    report = do_send_due_statements(start)
    # then both are delivered: the first is already in the LRS under its id, the second was sent alone
    assert (report.delivered, report.retried) == (2, 0)
    stored = stored_ids(to_ralph)
    assert (stored.count(str(first.statement_id)), stored.count(str(second.statement_id))) == (1, 1)
