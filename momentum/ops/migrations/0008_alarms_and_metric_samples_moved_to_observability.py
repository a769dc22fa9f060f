"""AlarmState and MetricSample now belong to observability (its 0001): ops forgets them in its state
only; the tables and their rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("observability", "0001_initial"),
        ("ops", "0007_backuprun_moved_to_recovery"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="AlarmState",
                ),
                migrations.DeleteModel(
                    name="MetricSample",
                ),
            ],
            database_operations=[],
        )
    ]
