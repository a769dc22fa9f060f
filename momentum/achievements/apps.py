from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_declared_badges(sender: AppConfig, **kwargs: Any) -> None:
    # After every migrate (new badges in rules.py) and after `flush`, which empties the table.
    from momentum.achievements.actions import sync_badges

    sync_badges()


class AchievementsConfig(AppConfig):
    name = "momentum.achievements"
    label = "achievements"

    def ready(self) -> None:
        post_migrate.connect(_sync_declared_badges, sender=self)
