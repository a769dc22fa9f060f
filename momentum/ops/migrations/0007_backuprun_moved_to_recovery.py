"""BackupRun now belongs to recovery (its 0001): ops forgets it in its state only; the table and its
rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("recovery", "0001_initial"),
        ("ops", "0006_auditlog_moved_to_audit"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="BackupRun",
                ),
            ],
            database_operations=[],
        )
    ]
