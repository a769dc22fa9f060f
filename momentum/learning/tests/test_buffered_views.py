"""Opening a lesson writes nothing in the request: its view event and the enrolment's last activity
go through a buffer the flusher writes at most every second. Progress stays a synchronous write; a
progress write that completes nothing moves the last activity through the same buffer."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from momentum.analytics import actions as analytics_actions
from momentum.analytics.models import EventKind, LearningEvent
from momentum.learning import actions as learning_actions
from momentum.learning.models import Enrollment, LessonProgress
from momentum.learning.tests.conftest import Clock
from momentum.lib.write_buffer import WriteBuffer
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def flush_due(clock: Clock) -> int:
    return sum(
        buffer.flush_if_due(clock.now) for buffer in (analytics_actions.BUFFERED_EVENTS, learning_actions.LAST_ACTIVITY)
    )


def views(user: Any) -> int:
    return LearningEvent.objects.filter(user=user, kind=EventKind.LESSON_VIEWED).count()


def lesson_url(course: Any, day: int) -> str:
    return f"/courses/{course.slug}/day/{day}/"


def test_opening_a_lesson_writes_nothing_in_the_request(client: Any, enrolled: Any, course: Any, clock: Clock) -> None:
    client.force_login(enrolled)
    client.get(lesson_url(course, 1))  # warm: the session, caches

    with CaptureQueriesContext(connection) as queries:
        response = client.get(lesson_url(course, 1))

    assert response.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_view_counts_arrive_when_the_buffer_is_due(client: Any, enrolled: Any, course: Any, clock: Clock) -> None:
    client.force_login(enrolled)
    for day in (1, 1, 1):
        assert client.get(lesson_url(course, day)).status_code == 200
    assert views(enrolled) == 0

    clock.now += 0.5
    assert flush_due(clock) == 0  # not yet a second since the last flush
    assert views(enrolled) == 0

    clock.now += 0.5
    flush_due(clock)
    assert views(enrolled) == 3


def test_last_activity_keeps_the_latest_activity_and_never_moves_back(enrolled: Any, course: Any, clock: Clock) -> None:
    enrollment = Enrollment.objects.get(user=enrolled, course=course)
    lesson = course.lessons.get(day=1)
    learning_actions.do_record_lesson_view(enrolled, lesson, enrollment)
    learning_actions.do_record_progress(enrolled, lesson, completed=False, position_seconds=5)  # buffered too
    done = learning_actions.do_record_progress(enrolled, lesson, completed=True)
    # the completion stored its time at once, after both buffered ones: the flush keeps it

    clock.now += 1
    flush_due(clock)

    enrollment.refresh_from_db()
    assert enrollment.last_activity_at == done.enrollment.last_activity_at
    assert learning_actions.LAST_ACTIVITY.pending() == 0


def test_a_progress_write_that_moves_only_the_position_writes_the_progress_alone(
    enrolled: Any, course: Any, clock: Clock
) -> None:
    lesson = course.lessons.get(day=1)
    learning_actions.do_record_progress(enrolled, lesson, completed=False, position_seconds=5)  # the row exists

    with CaptureQueriesContext(connection) as queries:
        learning_actions.do_record_progress(enrolled, lesson, completed=False, position_seconds=42)

    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) == 1
    assert "learning_lessonprogress" in writes[0]
    assert LessonProgress.objects.get(user=enrolled, lesson=lesson).position_seconds == 42
    assert learning_actions.LAST_ACTIVITY.pending() == 1
    clock.now += 1
    flush_due(clock)
    assert Enrollment.objects.get(user=enrolled, course=course).last_activity_at is not None


def test_many_views_of_one_enrolment_are_one_pending_activity(enrolled: Any, course: Any, clock: Clock) -> None:
    enrollment = Enrollment.objects.get(user=enrolled, course=course)
    for day in (1, 2, 3):
        learning_actions.do_record_lesson_view(enrolled, course.lessons.get(day=day), enrollment)

    assert learning_actions.LAST_ACTIVITY.pending() == 1
    assert analytics_actions.BUFFERED_EVENTS.pending() == 3
    clock.now += 1
    flush_due(clock)
    enrollment.refresh_from_db()
    assert enrollment.last_activity_at is not None


def test_a_crash_loses_buffered_views_but_never_progress(client: Any, enrolled: Any, course: Any, clock: Clock) -> None:
    client.force_login(enrolled)
    lesson = course.lessons.get(day=1)
    client.get(lesson_url(course, 1))
    learning_actions.do_record_progress(enrolled, lesson, completed=True)

    lost = analytics_actions.BUFFERED_EVENTS.discard() + learning_actions.LAST_ACTIVITY.discard()  # the crash

    assert lost == 2  # one view event, one last-activity time
    assert views(enrolled) == 0
    assert LessonProgress.objects.get(user=enrolled, lesson=lesson).completed


def test_a_failed_flush_keeps_the_records_for_the_next_one() -> None:
    written: list[dict[Any, int]] = []
    failures = [RuntimeError("database unavailable")]

    def sink(batch: dict[Any, int]) -> None:
        if failures:
            raise failures.pop()
        written.append(dict(batch))

    clock = Clock()
    buffer = WriteBuffer("numbers", sink, interval=1.0, merge=max, clock=clock)
    buffer.flush()  # nothing pending: the sink is not called
    buffer._pending = {"a": 1}  # as add() leaves it, without starting the flusher thread
    assert buffer.flush() == 0  # the write failed
    assert buffer.pending() == 1
    clock.now += 1
    assert buffer.flush_if_due() == 1
    assert written == [{"a": 1}]


def test_with_no_interval_a_record_is_written_at_once() -> None:
    written: list[dict[Any, str]] = []
    buffer = WriteBuffer("through", written.append, interval=0)
    buffer.add("x")
    assert written == [{0: "x"}]
    assert buffer.pending() == 0


def test_buffered_activity_locks_enrolments_in_one_order_and_writes_them_in_one_statement(
    enrolled: Any, course: Any
) -> None:
    """Each web process flushes its own buffer: batches that lock shared enrolments in different
    orders deadlock on PostgreSQL, so every batch locks them in the order of their keys; the
    stale ones are then written in one UPDATE, and a later time stored meanwhile is kept."""
    others = [Enrollment.objects.create(user=make_user(f"order{n}@example.com"), course=course) for n in range(3)]
    ids = sorted([Enrollment.objects.get(user=enrolled).pk, *(item.pk for item in others)])
    at = datetime(2026, 12, 6, 12, tzinfo=UTC)
    later = datetime(2026, 12, 6, 13, tzinfo=UTC)
    Enrollment.objects.filter(pk=ids[1]).update(last_activity_at=later)

    with CaptureQueriesContext(connection) as queries:
        learning_actions._write_activity(dict.fromkeys(reversed(ids), at))

    statements = [q["sql"] for q in queries if not q["sql"].upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE"))]
    read, write = statements
    assert re.search(r'ORDER BY (1|"learning_enrollment"\."id") ASC', read)  # 1: the first column, "id"
    assert "FOR UPDATE" in read or connection.vendor == "sqlite"  # SQLite locks the whole file
    assert write.startswith("UPDATE")
    stored = dict(Enrollment.objects.filter(pk__in=ids).values_list("pk", "last_activity_at"))
    assert stored == {pk: later if pk == ids[1] else at for pk in ids}
