"""The audit actions recovery records (values as stored since ops recorded them)."""

from enum import StrEnum


class AuditAction(StrEnum):
    BACKUP_REQUESTED = "ops.backup_requested"
    DRILL_REQUESTED = "ops.drill_requested"
