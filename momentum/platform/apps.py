from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _restore_database_rules(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from momentum.lib import db_triggers
    from momentum.lib.logs import get_logger

    restored = db_triggers.restore_missing(connections[using])
    if restored:
        get_logger("momentum.migrate").warning("database_rules_restored", rules=restored)


class PlatformConfig(AppConfig):
    name = "momentum.platform"
    label = "platform"

    def ready(self) -> None:
        from momentum.platform import data_folders

        data_folders.create_database_folder()
        # After every migrate (and every flush): rules whose triggers a table rebuild dropped come back.
        post_migrate.connect(_restore_database_rules, sender=self)
