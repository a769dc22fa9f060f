"""SiteSettings now belongs to sitesettings (its 0001): ops forgets it in its state only; the table
and its row stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sitesettings", "0001_initial"),
        ("ops", "0004_cache_revisions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="SiteSettings",
                ),
            ],
            database_operations=[],
        )
    ]
