"""Fixtures of the operations tests: the backup and media folders of the recovery tests."""

from momentum.recovery.tests.conftest import backup_target, media_root

__all__ = ["backup_target", "media_root"]
