"""The audit actions of accounts (sign-up, sign-in, passwords, second factors, roles).

One member per audited change, so every place that records it is greppable; the values are the
strings stored in the audit log (never rename one: existing rows and their filters keep them).
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    ACCOUNT_ADMIN_ENSURED = "account.admin_ensured"
    ACCOUNT_CREATED = "account.created"
    ACCOUNT_DATA_EXPORTED = "account.data_exported"
    ACCOUNT_DEACTIVATED = "account.deactivated"
    ACCOUNT_ERASED = "account.erased"
    ACCOUNT_REACTIVATED = "account.reactivated"
    ACCOUNT_ROLE_CHANGED = "account.role_changed"
    ACCOUNT_UPDATED = "account.updated"
    AUTH_EMAIL_CHANGED = "auth.email_changed"
    AUTH_EMAIL_VERIFIED = "auth.email_verified"
    AUTH_MFA_DISABLED = "auth.mfa_disabled"
    AUTH_MFA_ENABLED = "auth.mfa_enabled"
    AUTH_MFA_FAILED = "auth.mfa_failed"
    AUTH_PASSWORD_CHANGED = "auth.password_changed"  # noqa: S105  (an action name)
    AUTH_PASSWORD_RESET = "auth.password_reset"  # noqa: S105  (an action name)
    AUTH_PASSWORD_RESET_REQUESTED = "auth.password_reset_requested"  # noqa: S105  (an action name)
    AUTH_PASSWORD_SET = "auth.password_set"  # noqa: S105  (an action name)
    AUTH_RECOVERY_CODE_USED = "auth.recovery_code_used"
    AUTH_RECOVERY_CODES_REGENERATED = "auth.recovery_codes_regenerated"
    AUTH_REFRESH_TOKEN_REUSED = "auth.refresh_token_reused"  # noqa: S105  (an action name)
    AUTH_SIGN_IN_FAILED = "auth.sign_in_failed"
    AUTH_SIGNED_IN = "auth.signed_in"
    AUTH_SIGNED_OUT = "auth.signed_out"
    AUTH_SOCIAL_ACCOUNT_LINKED = "auth.social_account_linked"
    AUTH_SOCIAL_ACCOUNT_UNLINKED = "auth.social_account_unlinked"
