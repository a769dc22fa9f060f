"""Database rules (triggers) survive migrations that rebuild their tables."""

import pytest
from django.db import connection

from momentum.lib import db_triggers

pytestmark = pytest.mark.django_db


def triggers() -> set[str]:
    return db_triggers._existing_triggers(connection)


def test_every_rule_the_migrations_declare_is_installed() -> None:
    assert db_triggers.restore_missing(connection) == []
    assert {"catalog_lesson_lessons_inc", "catalog_course_touch_updated_at"} <= triggers()


def test_a_rule_whose_trigger_was_dropped_is_restored_whole_after_migrate() -> None:
    # Given a table rebuild that lost a trigger (as Django's SQLite schema editor does)
    with connection.cursor() as cursor:
        drop = "DROP TRIGGER catalog_lesson_lessons_inc" + (
            " ON catalog_lesson" if connection.vendor == "postgresql" else ""
        )
        cursor.execute(drop)
    assert "catalog_lesson_lessons_inc" not in triggers()

    # When the rules are checked after a migrate
    restored = db_triggers.restore_missing(connection)

    # Then the rule is back
    assert restored == ["catalog_course.lesson_count counts catalog_lesson"]
    assert "catalog_lesson_lessons_inc" in triggers()
