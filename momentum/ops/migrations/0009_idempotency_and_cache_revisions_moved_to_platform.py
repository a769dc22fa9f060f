"""IdempotencyRecord and CacheRevision now belong to platform (its 0001): ops forgets them in its
state only, and holds no model any more; the tables and their rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("platform", "0001_initial"),
        ("ops", "0008_alarms_and_metric_samples_moved_to_observability"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="CacheRevision",
                ),
                migrations.DeleteModel(
                    name="IdempotencyRecord",
                ),
            ],
            database_operations=[],
        )
    ]
