"""Audit events for what allauth does on its own pages (sign-in, password, email, MFA, linked accounts).

allauth announces these with signals; this module is the one place that listens, and each
receiver only records the event (and, for a new password, ends the API sessions). Connected
once by AccountsConfig.ready().
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.socialaccount import signals as social_signals
from django.contrib.auth import signals as auth_signals
from django.http import HttpRequest

from momentum.accounts import actions
from momentum.accounts.audit_actions import AuditAction
from momentum.accounts.models import User
from momentum.audit.actions import do_record_audit

DISPATCH_PREFIX = "momentum.accounts.audit."


def _audit(action: AuditAction, user: Any, request: HttpRequest | None, **metadata: Any) -> None:
    if not isinstance(user, User):
        return
    do_record_audit(action, actor=user, subject=user, resource=user, request=request, metadata=metadata or None)


def _signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    actions.do_record_sign_in(user, request=request, method="social" if kwargs.get("sociallogin") else "password")


def _signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    _audit(AuditAction.AUTH_SIGNED_OUT, user, request, via="web")


def _password_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    revoked = actions.do_revoke_refresh_tokens(user, reason="password_changed")
    _audit(AuditAction.AUTH_PASSWORD_CHANGED, user, request, api_sessions_ended=revoked)


def _password_set(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    _audit(AuditAction.AUTH_PASSWORD_SET, user, request)


def _password_reset(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    revoked = actions.do_revoke_refresh_tokens(user, reason="password_reset")
    _audit(AuditAction.AUTH_PASSWORD_RESET, user, request, api_sessions_ended=revoked)


def _email_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    before, after = kwargs.get("from_email_address"), kwargs.get("to_email_address")
    _audit(
        AuditAction.AUTH_EMAIL_CHANGED, user, request,
        from_email=getattr(before, "email", None), to_email=getattr(after, "email", None),
    )  # fmt: skip


def _authenticator_added(sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **_: Any) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        _audit(AuditAction.AUTH_MFA_ENABLED, user, request, type=authenticator.type)


def _authenticator_removed(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **_: Any
) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        _audit(AuditAction.AUTH_MFA_DISABLED, user, request, type=authenticator.type)


def _authenticator_reset(sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **_: Any) -> None:
    _audit(AuditAction.AUTH_RECOVERY_CODES_REGENERATED, user, request)


def _authenticator_used(sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **_: Any) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        _audit(AuditAction.AUTH_RECOVERY_CODE_USED, user, request)


def _second_factor_failed(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **_: Any
) -> None:
    _audit(AuditAction.AUTH_MFA_FAILED, user, request, type=authenticator.type, via=actions.via(request))


def _social_account_added(sender: Any, request: HttpRequest, sociallogin: Any, **_: Any) -> None:
    _audit(AuditAction.AUTH_SOCIAL_ACCOUNT_LINKED, sociallogin.user, request, provider=sociallogin.account.provider)


def _social_account_removed(sender: Any, request: HttpRequest, socialaccount: Any, **_: Any) -> None:
    _audit(AuditAction.AUTH_SOCIAL_ACCOUNT_UNLINKED, socialaccount.user, request, provider=socialaccount.provider)


RECEIVERS: list[tuple[Any, Any]] = [
    (account_signals.user_logged_in, _signed_in),
    (auth_signals.user_logged_out, _signed_out),
    (account_signals.password_changed, _password_changed),
    (account_signals.password_set, _password_set),
    (account_signals.password_reset, _password_reset),
    (account_signals.email_changed, _email_changed),
    (mfa_signals.authenticator_added, _authenticator_added),
    (mfa_signals.authenticator_removed, _authenticator_removed),
    (mfa_signals.authenticator_reset, _authenticator_reset),
    (mfa_signals.authenticator_used, _authenticator_used),
    (mfa_signals.authentication_failed, _second_factor_failed),
    (social_signals.social_account_added, _social_account_added),
    (social_signals.social_account_removed, _social_account_removed),
]


def connect() -> None:
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, dispatch_uid=DISPATCH_PREFIX + receiver.__name__)
