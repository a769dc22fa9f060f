"""Cache revisions: the row each family of cached reads is keyed by, moved forward by triggers."""

from django.db import migrations, models

from momentum.lib.db_triggers import revision_on_write

REVISIONS = "ops_cacherevision"


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0003_metric_samples"),
        ("catalog", "0004_course_search"),
        ("learning", "0003_reminder_delivery"),
    ]

    operations = [
        migrations.CreateModel(
            name="CacheRevision",
            fields=[
                ("scope", models.CharField(max_length=80, primary_key=True, serialize=False)),
                ("revision", models.BigIntegerField()),
            ],
        ),
        *[
            revision_on_write(table=table, revisions=REVISIONS, scope="catalogue")
            for table in ("catalog_category", "catalog_course", "catalog_lesson")
        ],
        *[
            revision_on_write(table=table, revisions=REVISIONS, scope="learner", user_column="user_id")
            for table in ("learning_enrollment", "learning_lessonprogress")
        ],
    ]
