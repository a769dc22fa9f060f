"""The badges declared in momentum/achievements/rules.py (apps.py syncs them again after every migrate)."""

from typing import Any

from django.db import migrations


def sync(apps: Any, schema_editor: Any) -> None:
    from momentum.achievements.actions import sync_badges

    sync_badges(apps.get_model("achievements", "Badge"))


class Migration(migrations.Migration):
    dependencies = [("achievements", "0001_initial")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
