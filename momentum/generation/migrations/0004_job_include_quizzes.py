"""GenerationJob.include_quizzes: new jobs write a quiz per lesson; jobs made before had no quiz
steps, so they keep False. The column is added in place (no SQLite table rebuild, which would
drop the job table's triggers)."""

from django.db import migrations, models

from momentum.lib.db_triggers import RunVendorSQL, VendorSQL


class Migration(migrations.Migration):
    dependencies = [
        ("generation", "0003_reference_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="generationjob",
                    name="include_quizzes",
                    field=models.BooleanField(default=True),
                ),
            ],
            database_operations=[
                RunVendorSQL(
                    "job include_quizzes column",
                    VendorSQL(
                        sqlite_forward=[
                            "ALTER TABLE generation_generationjob ADD COLUMN include_quizzes bool NOT NULL DEFAULT 0"
                        ],
                        sqlite_backward=["ALTER TABLE generation_generationjob DROP COLUMN include_quizzes"],
                        postgresql_forward=[
                            "ALTER TABLE generation_generationjob ADD COLUMN include_quizzes boolean NOT NULL "
                            "DEFAULT false",
                            "ALTER TABLE generation_generationjob ALTER COLUMN include_quizzes DROP DEFAULT",
                        ],
                        postgresql_backward=["ALTER TABLE generation_generationjob DROP COLUMN include_quizzes"],
                    ),
                ),
            ],
        ),
    ]
