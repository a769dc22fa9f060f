"""Database rules (triggers) survive migrations that rebuild their tables."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from momentum.lib import db_triggers

ROOT = Path(__file__).resolve().parents[3]

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


@pytest.mark.integration
@pytest.mark.embedded_default
def test_a_fresh_database_is_migrated_without_any_rule_to_restore(tmp_path: Path) -> None:
    # Given a new data folder (as `make run` on a fresh clone), on the embedded SQLite
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOMENTUM_", "DATABASE_URL", "DBOS_"))}
    env |= {"MOMENTUM_ENV": "dev", "MOMENTUM_DATA_DIR": str(tmp_path), "MOMENTUM_DOTENV": os.devnull}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # When every migration is applied
    result = subprocess.run(
        [sys.executable, "-m", "momentum.cli", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    # Then each migration that rebuilt a table put its rules back itself: nothing is left to restore
    assert result.returncode == 0, result.stderr[-2000:]
    assert "database_rules_restored" not in result.stdout + result.stderr
