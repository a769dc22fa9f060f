"""The catalogue's rules hold in the database itself, whatever writes to it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from momentum.catalog.models import Category, Course, Lesson
from momentum.learning.actions import do_enroll

pytestmark = pytest.mark.django_db

NOW = "2026-01-01 00:00:00"


def raw(sql: str, params: list[Any] | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def insert_course(slug: str, duration_days: int) -> None:
    raw(
        "INSERT INTO catalog_course (slug, title, description, category_id, duration_days, level, status, "
        "is_premium, price_cents, currency, thumbnail, metadata, lesson_count, enrollment_count, created_at, "
        "updated_at) VALUES (%s, 'A course', '', %s, %s, 'BEGINNER', 'DRAFT', false, 0, 'usd', '', '{}', 0, 0, "
        "%s, %s)",
        [slug, Category.objects.first().pk, duration_days, NOW, NOW],  # type: ignore[union-attr]
    )


def insert_lesson(course_id: int, day: int, title: str = "A lesson") -> None:
    raw(
        "INSERT INTO catalog_lesson (course_id, day, title, content_markdown, video, video_url, duration_minutes, "
        "is_preview, created_at, updated_at) VALUES (%s, %s, %s, '', '', '', 10, false, %s, %s)",
        [course_id, day, title, NOW, NOW],
    )


@pytest.mark.parametrize("days", [7, 14, 21])
def test_a_course_of_7_14_or_21_days_is_accepted(days: int) -> None:
    insert_course(f"course-{days}", days)
    assert Course.objects.get(slug=f"course-{days}").duration_days == days


@pytest.mark.parametrize("days", [0, 1, 10, 15, 28])
def test_a_course_of_any_other_length_is_refused_by_the_database(days: int) -> None:
    with pytest.raises(IntegrityError):
        insert_course("odd-course", days)


def test_a_second_lesson_for_the_same_day_is_refused_by_the_database() -> None:
    insert_course("one-a-day", 7)
    course = Course.objects.get(slug="one-a-day")
    insert_lesson(course.pk, 3)
    with pytest.raises(IntegrityError):
        insert_lesson(course.pk, 3, "Another lesson for day 3")


def test_a_lesson_beyond_the_course_duration_is_refused_by_the_database() -> None:
    insert_course("short", 7)
    course = Course.objects.get(slug="short")
    with pytest.raises(IntegrityError):
        insert_lesson(course.pk, 8)


def test_a_lesson_on_day_zero_is_refused_by_the_database() -> None:
    insert_course("zero", 7)
    with pytest.raises(IntegrityError):
        insert_lesson(Course.objects.get(slug="zero").pk, 0)


def test_a_course_cannot_shrink_below_its_lessons() -> None:
    insert_course("shrinking", 14)
    course = Course.objects.get(slug="shrinking")
    insert_lesson(course.pk, 12)
    with pytest.raises(IntegrityError):
        raw("UPDATE catalog_course SET duration_days = 7 WHERE id = %s", [course.pk])


def test_an_unknown_status_is_refused_by_the_database() -> None:
    insert_course("status", 7)
    with pytest.raises(IntegrityError):
        raw("UPDATE catalog_course SET status = 'HIDDEN' WHERE slug = 'status'")


def test_a_premium_course_without_a_price_is_refused_by_the_database() -> None:
    insert_course("premium", 7)
    with pytest.raises(IntegrityError):
        raw("UPDATE catalog_course SET is_premium = true, price_cents = 0 WHERE slug = 'premium'")


@pytest.mark.django_db(transaction=True)
def test_a_course_in_a_missing_category_is_refused_by_the_database() -> None:
    # Foreign keys are checked when the transaction commits, so this test commits.
    insert_course("orphan", 7)
    with pytest.raises(IntegrityError):
        raw("UPDATE catalog_course SET category_id = 999999 WHERE slug = 'orphan'")


def test_the_lesson_count_follows_inserts_and_deletes_from_any_client() -> None:
    insert_course("counted", 7)
    course = Course.objects.get(slug="counted")
    for day in (1, 2, 3):
        insert_lesson(course.pk, day)
    raw("DELETE FROM catalog_lesson WHERE course_id = %s AND day = 2", [course.pk])
    course.refresh_from_db()
    assert course.lesson_count == 2


def test_updated_at_moves_on_a_raw_update() -> None:
    insert_course("touched", 7)
    before = Course.objects.get(slug="touched").updated_at
    raw("UPDATE catalog_course SET title = 'Renamed' WHERE slug = 'touched'")
    after = Course.objects.get(slug="touched").updated_at
    assert after > before
    assert after <= timezone.now()


def test_a_learner_enrolling_does_not_change_the_course(learner: Any) -> None:
    # given a course last changed at NOW
    insert_course("enrolled", 7)
    for day in range(1, 8):
        insert_lesson(Course.objects.get(slug="enrolled").pk, day)
    raw("UPDATE catalog_course SET updated_at = %s WHERE slug = 'enrolled'", [NOW])
    course = Course.objects.get(slug="enrolled")
    changed = course.updated_at
    # when a learner enrols (the counter's trigger updates the course row) and then leaves
    enrollment, _ = do_enroll(learner, course)
    assert Course.objects.get(pk=course.pk).enrollment_count == 1
    enrollment.delete()
    # then the studio's "Changed" time has not moved
    assert Course.objects.get(pk=course.pk).updated_at == changed
    # while a change of the course itself still moves it
    raw("UPDATE catalog_course SET description = 'New' WHERE slug = 'enrolled'")
    assert Course.objects.get(pk=course.pk).updated_at > changed


def test_the_orm_sees_the_same_rules() -> None:
    course = Course.objects.create(slug="orm", title="ORM", category=Category.objects.earliest("pk"), duration_days=7)
    Lesson.objects.create(course=course, day=1, title="First")
    with pytest.raises(IntegrityError), transaction.atomic():
        Lesson.objects.create(course=course, day=1, title="First again")
