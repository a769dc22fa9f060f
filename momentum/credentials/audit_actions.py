"""The audit actions of credentials: the ``action`` of their AuditLog rows (never rename one)."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    CREDENTIAL_REVOKED = "credential.revoked"
