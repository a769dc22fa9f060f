"""AuditLog now belongs to audit (its 0001): ops forgets it in its state only; the table and its
rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("ops", "0005_sitesettings_moved_to_sitesettings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="AuditLog",
                ),
            ],
            database_operations=[],
        )
    ]
