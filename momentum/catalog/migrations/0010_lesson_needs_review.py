"""Lesson.needs_review: a generated lesson waits for an admin's review before its course is published.

The column is added in place (ALTER TABLE ADD COLUMN) rather than by Django's SQLite table
rebuild, which fails on the course trigger that reads catalog_lesson and would drop the lesson's
own triggers. Existing lessons were written or published by people: they need no review. The column keeps its
default (false) in the database on both engines, for rows written by SQL (bulk loads, database
rules' tests), as Course.pacing does.
"""

from django.db import migrations, models

from momentum.lib.db_triggers import RunVendorSQL, VendorSQL


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_course_pacing"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="lesson",
                    name="needs_review",
                    field=models.BooleanField(default=False),
                ),
            ],
            database_operations=[
                RunVendorSQL(
                    "lesson needs_review column",
                    VendorSQL(
                        sqlite_forward=["ALTER TABLE catalog_lesson ADD COLUMN needs_review bool NOT NULL DEFAULT 0"],
                        sqlite_backward=["ALTER TABLE catalog_lesson DROP COLUMN needs_review"],
                        postgresql_forward=[
                            "ALTER TABLE catalog_lesson ADD COLUMN needs_review boolean NOT NULL DEFAULT false",
                        ],
                        postgresql_backward=["ALTER TABLE catalog_lesson DROP COLUMN needs_review"],
                    ),
                ),
            ],
        ),
    ]
