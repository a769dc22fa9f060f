"""Rows read by plain SQL (momentum/lib/plain_rows.py) are the ORM's own rows, value for value, on
SQLite and on PostgreSQL: aware datetimes, dates, booleans, decimals, JSON, NULLs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from momentum.analytics.models import EventKind, LearningEvent
from momentum.learning.actions import do_enroll, do_record_progress
from momentum.learning.models import Enrollment, LessonProgress
from momentum.lib import clock
from momentum.lib.plain_rows import PlainRows, count, exists
from tests.factories import make_course, make_user

pytestmark = pytest.mark.django_db


def fields_of(instance: Model) -> dict[str, Any]:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def learner_with_progress(email: str, title: str, *, position: int) -> tuple[Any, Any, list[Any]]:
    """A learner of a 7-day course with day 1 done and day 2 at ``position`` seconds."""
    learner = make_user(email)
    course = make_course(title, duration_days=7)
    lessons = list(course.lessons.order_by("day"))
    do_enroll(learner, course)
    do_record_progress(learner, lessons[0], completed=True)
    do_record_progress(learner, lessons[1], completed=False, position_seconds=position)
    return learner, course, lessons


def test_plain_rows_equal_the_orms_rows_value_for_value() -> None:
    learner, course, _lessons = learner_with_progress("pat@example.com", "Plain rows", position=42)
    made = LearningEvent.objects.create(
        user=learner, kind=EventKind.values[0], course=course, value=Decimal("12.345600"),
        properties={"source": "test", "nested": [1, 2, {"ok": True}]},
    )  # fmt: skip

    progress = PlainRows(LessonProgress, "user_id = %s AND course_id = %s", order_by="lesson_id")
    enrollment = PlainRows(Enrollment, "user_id = %s").first([learner.pk])
    event = PlainRows(LearningEvent, "id = %s").first([made.pk])

    assert [fields_of(p) for p in progress.all([learner.pk, course.pk])] == [
        fields_of(p) for p in LessonProgress.objects.filter(user=learner, course=course).order_by("lesson_id")
    ]
    read = progress.all([learner.pk, course.pk])
    assert read[0].completed is True
    assert read[1].completed is False
    assert read[0].completed_at is not None
    assert read[0].completed_at.tzinfo is not None
    assert isinstance(read[0].completed_on, date)
    assert read[1].completed_at is None
    assert enrollment is not None
    assert fields_of(enrollment) == fields_of(Enrollment.objects.get(user=learner))
    assert event is not None
    assert fields_of(event) == fields_of(LearningEvent.objects.get(pk=made.pk))
    assert event.properties == {"source": "test", "nested": [1, 2, {"ok": True}]}
    assert event.value == Decimal("12.345600")


def test_plain_rows_are_ordinary_model_instances_that_save_and_follow_relations() -> None:
    learner = make_user("sam@example.com")
    course = make_course("Saved again", duration_days=7)
    do_enroll(learner, course)

    enrollment = PlainRows(Enrollment, "user_id = %s").first([learner.pk])
    assert enrollment is not None
    assert enrollment.course.title == "Saved again"
    enrollment.last_activity_at = clock.now()
    enrollment.save(update_fields=["last_activity_at"])

    assert Enrollment.objects.get(pk=enrollment.pk).last_activity_at == enrollment.last_activity_at


def test_count_and_exists_answer_in_one_query_each() -> None:
    learner = make_user("kim@example.com")
    course = make_course("Counted", duration_days=7)
    do_enroll(learner, course)

    with CaptureQueriesContext(connection) as queries:
        assert count(Enrollment, "user_id = %s", [learner.pk]) == 1
        assert count(Enrollment, "user_id = %s", [learner.pk + 1000]) == 0
        assert exists(Enrollment, "course_id = %s", [course.pk]) is True
        assert exists(Enrollment, "course_id = %s", [course.pk + 1000]) is False
        assert PlainRows(Enrollment, "user_id = %s").first([learner.pk + 1000]) is None

    assert len(queries.captured_queries) == 5


def test_an_update_writes_what_the_orm_would_and_returns_the_rows_as_written() -> None:
    learner, _course, lessons = learner_with_progress("lee@example.com", "Updated in place", position=5)
    moved_at = clock.now()

    rows = PlainRows(LessonProgress, "user_id = %s AND lesson_id = %s AND completed")
    written = rows.update({"position_seconds": 321, "updated_at": moved_at}, [learner.pk, lessons[0].pk])
    unmatched = rows.update({"position_seconds": 99, "updated_at": moved_at}, [learner.pk, lessons[1].pk])

    assert unmatched == []
    assert LessonProgress.objects.get(user=learner, lesson=lessons[1]).position_seconds == 5
    assert [fields_of(p) for p in written] == [fields_of(LessonProgress.objects.get(user=learner, lesson=lessons[0]))]
    assert written[0].position_seconds == 321
    assert written[0].completed is True
    # stored as the ORM stores an aware datetime, so the ORM's own lookups find it
    assert LessonProgress.objects.filter(updated_at=moved_at).get().pk == written[0].pk
