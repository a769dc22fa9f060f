"""The six categories every Momentum site starts with."""

from typing import Any

from django.db import migrations

from momentum.catalog.seeds import CATEGORIES, ensure_categories


def seed(apps: Any, schema_editor: Any) -> None:
    ensure_categories(apps.get_model("catalog", "Category"))


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("catalog", "Category").objects.filter(slug__in=[c[0] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_database_rules")]

    operations = [migrations.RunPython(seed, unseed)]
