"""catalog 0009: courses that existed before pacing keep their behaviour (SELF_PACED, every day open
at enrolment); courses made afterwards are DAILY, whatever writes them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from momentum.catalog.models import Course, Pacing
from momentum.lib import db_triggers

BEFORE = [("catalog", "0008_reference_documents_move_to_generation"), ("learning", "0003_reminder_delivery")]


@pytest.fixture
def before_pacing(transactional_db: None) -> Iterator[Any]:
    """The database migrated back to before pacing; forward again afterwards (as after `migrate`,
    the rules a backward rebuild lost are restored)."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    db_triggers.restore_missing(connection)
    try:
        yield MigrationExecutor(connection).loader.project_state(BEFORE).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        db_triggers.restore_missing(connection)


def test_existing_courses_become_self_paced_and_new_ones_are_daily(before_pacing: Any) -> None:
    # Given a course made before pacing existed
    OldCourse = before_pacing.get_model("catalog", "Course")
    Category = before_pacing.get_model("catalog", "Category")
    old = OldCourse.objects.create(slug="old", title="Old", category=Category.objects.first(), duration_days=7)

    # When the database is migrated
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # Then it is self-paced, and a course inserted afterwards by raw SQL is daily
    assert Course.objects.get(pk=old.pk).pacing == Pacing.SELF_PACED
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalog_course (slug, title, description, category_id, duration_days, level, status, "
            "is_premium, price_cents, currency, thumbnail, metadata, created_at, updated_at, lesson_count, "
            "enrollment_count) VALUES ('raw', 'Raw', '', %s, 7, 'BEGINNER', 'DRAFT', false, 0, 'usd', '', '{}', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, 0)",
            [old.category_id],
        )
    assert Course.objects.get(slug="raw").pacing == Pacing.DAILY
    # and every database rule is in place (the search index still finds the old course)
    assert db_triggers.restore_missing(connection) == []
