from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _restore_seeded_rows(sender: AppConfig, **kwargs: Any) -> None:
    # post_migrate also follows `flush`, which empties the tables the data migration filled.
    from momentum.catalog.models import Category
    from momentum.catalog.seeds import ensure_categories

    ensure_categories(Category)


class CatalogConfig(AppConfig):
    name = "momentum.catalog"
    label = "catalog"

    def ready(self) -> None:
        post_migrate.connect(_restore_seeded_rows, sender=self)
