"""Writes of the accounts app: accounts, sign-in and its tokens, profile changes, GDPR erasure.

Each sign-in, sign-out and security change leaves an audit event (``audit.actions.do_record_audit``).
Failures are recorded outside of any transaction that a Problem would roll back.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail.message import sanitize_address
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from momentum.accounts import channels, gdpr, signin, tokens
from momentum.accounts.audit_actions import AuditAction
from momentum.accounts.models import (
    Channel,
    Notification,
    NotificationKind,
    NotificationPreference,
    RefreshToken,
    Role,
    User,
)
from momentum.accounts.queries import notification_channels
from momentum.analytics.actions import do_record_event
from momentum.analytics.models import EventKind
from momentum.audit.actions import do_record_audit
from momentum.lib.problems import Conflict, Invalid, Problem
from momentum.observability import metrics
from momentum.platform.request_limits import rate_limited_problem
from momentum.sitesettings.site_mail import send_site_mail

REFRESH_TOKEN_PREFIX = "mrt_"  # noqa: S105  (a prefix, recognisable to secret scanners)


# --- Accounts -----------------------------------------------------------------------------------


@transaction.atomic
def do_create_user(
    email: str,
    password: str | None,
    *,
    display_name: str = "",
    role: Role = Role.FREE,
    email_verified: bool = False,
    request: HttpRequest | None = None,
    sync_allauth_email: bool = True,
    **fields: Any,
) -> User:
    user = User.objects.create_user(
        email, password, display_name=display_name, role=role, email_verified=email_verified, **fields
    )
    if sync_allauth_email:
        _sync_allauth_email(user)
    do_record_event(EventKind.SIGNED_UP, user=user)
    do_record_audit(AuditAction.ACCOUNT_CREATED, actor=user, subject=user, resource=user, request=request)
    transaction.on_commit(metrics.SIGNUPS.inc)
    return user


def _sync_allauth_email(user: User) -> None:
    """allauth keeps its own table of addresses; keep it agreeing with the user row."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": user.email_verified}
    )


@transaction.atomic
def do_ensure_admin(email: str, password: str) -> tuple[User, bool]:
    """Create the admin, or make the existing account an active, verified admin with this password."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return do_create_user(email, password, role=Role.ADMIN, email_verified=True), True
    user.role = Role.ADMIN
    user.is_active = True
    user.email_verified = True
    user.set_password(password)
    user.save()
    _sync_allauth_email(user)
    do_record_audit(AuditAction.ACCOUNT_ADMIN_ENSURED, subject=user, resource=user, metadata={"via": "cli"})
    return user, False


def do_register(email: str, password: str, *, display_name: str, request: HttpRequest) -> User:
    """POST /auth/register: a FREE, unverified account, and the verification email (allauth's)."""
    from allauth.account.internal.flows.email_verification import send_verification_email_to_address
    from allauth.account.models import EmailAddress
    from allauth.core import ratelimit

    email = email.strip().lower()
    try:  # the schema's pattern only checks the shape; the address must also be one mail can go to
        validate_email(email)
        sanitize_address(email, "utf-8")  # what sending does: IDNA-encodes the domain
    except (ValidationError, ValueError, UnicodeError):
        raise Invalid("email", _("Enter a valid email address."), rule="email") from None
    if not ratelimit.consume(request, action="signup"):
        raise rate_limited_problem(60)
    if User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists():
        raise Conflict("email_taken", _("An account with this email address exists; sign in or reset the password."))
    try:
        validate_password(password, User(email=email, display_name=display_name))
    except ValidationError as error:
        messages = list(error.messages)
        raise Problem(
            422,
            "weak_password",
            " ".join(messages),
            errors=[{"field": "password", "message": m, "rule": "password_policy"} for m in messages],
        ) from None
    try:
        user = do_create_user(email, password, display_name=display_name, request=request)
    except IntegrityError:  # the same address registered a moment ago
        raise Conflict("email_taken", _("An account with this email address exists.")) from None
    address = EmailAddress.objects.get(user=user, email=user.email)
    send_verification_email_to_address(request, address, signup=True)
    return user


def do_record_social_signup(user: User, *, provider: str, request: HttpRequest | None) -> None:
    """A sign-up through Google, Facebook or Apple: allauth made the rows; record what do_create_user would."""
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    if verified != user.email_verified:
        User.objects.filter(pk=user.pk).update(email_verified=verified)
        user.email_verified = verified
    do_record_event(EventKind.SIGNED_UP, user=user, properties={"provider": provider})
    do_record_audit(
        AuditAction.ACCOUNT_CREATED,
        actor=user,
        subject=user,
        resource=user,
        request=request,
        metadata={"provider": provider},
    )
    transaction.on_commit(metrics.SIGNUPS.inc)


def do_mark_email_verified(user: User, email: str, *, request: HttpRequest | None) -> User:
    """allauth confirmed ``email``; when it is the account's address, the account is verified."""
    user.refresh_from_db()
    if user.email.lower() == email.lower() and not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified", "updated_at"])
    do_record_audit(AuditAction.AUTH_EMAIL_VERIFIED, actor=user, subject=user, resource=user, request=request)
    return user


def do_verify_email(key: str, *, request: HttpRequest) -> User:
    """POST /auth/verify-email: the key is the last segment of the emailed link (allauth's HMAC key)."""
    from allauth.account.models import EmailConfirmation, EmailConfirmationHMAC

    confirmation = EmailConfirmationHMAC.from_key(key) or EmailConfirmation.from_key(key)
    address = confirmation.confirm(request) if confirmation is not None else None
    if address is None:
        raise Problem(
            422, "invalid_key", _("This verification link is invalid, has expired or was used already."),
            errors=[{"field": "key", "message": "is invalid, expired or used", "rule": "invalid_key"}],
        )  # fmt: skip
    user: User = User.objects.get(pk=address.user_id)
    return user


def do_request_password_reset(email: str, *, request: HttpRequest) -> None:
    """POST /auth/password-reset: allauth's reset email when the account exists, and the same answer either way."""
    from allauth.account.forms import ResetPasswordForm
    from allauth.core import ratelimit

    form = ResetPasswordForm(data={"email": email})
    if not form.is_valid():
        raise Problem(422, "validation_error", _("email: enter a valid email address."),
                      errors=[{"field": "email", "message": "is not an email address", "rule": "email"}])  # fmt: skip
    if not ratelimit.consume(request, action="reset_password", key=form.cleaned_data["email"].lower()):
        raise rate_limited_problem(60)
    form.save(request)
    for user in form.users:
        do_record_audit(AuditAction.AUTH_PASSWORD_RESET_REQUESTED, subject=user, resource=user, request=request)


@transaction.atomic
def do_update_profile(user: User, changes: dict[str, Any], *, request: HttpRequest | None) -> User:
    """Display name, time zone, demographics, reminder emails: already validated (forms.ProfileForm)."""
    if not changes:
        return user
    for name, value in changes.items():
        setattr(user, name, value)
    user.save(update_fields=[*changes, "updated_at"])
    do_record_audit(
        AuditAction.ACCOUNT_UPDATED, actor=user, subject=user, resource=user, request=request,
        metadata={"fields": sorted(changes)},
    )  # fmt: skip
    return user


# --- Signing in with the API ------------------------------------------------------------------


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105


def do_notify(user: User, *, kind: str, title: str, body: str = "", url: str = "", once: bool = False) -> bool:
    """Tell ``user`` about something, on the channels they chose for ``kind`` (in the app, email,
    push; ``NotificationPreference``, else ``DEFAULT_CHANNELS``). With ``once``, not when a notice of
    this kind for this URL was already written (a retried step). True when the notice went anywhere.

    ``kind`` must be a ``NotificationKind`` (ValueError otherwise: a new kind is a new member).
    Email and push leave after the surrounding transaction commits, through accounts.channels.
    """
    kind = NotificationKind(kind)
    if url and (not url.startswith("/") or url.startswith(("//", "/\\"))):
        raise ValueError(f"a notice leads to a path of this site, not {url!r}")
    if once and Notification.objects.filter(user=user, kind=kind, url=url).exists():
        return False
    wanted = notification_channels(user, kind)
    notification = None
    if Channel.IN_APP in wanted:
        notification = Notification.objects.create(user=user, kind=kind, title=title[:200], body=body, url=url)
    notice = channels.Notice(
        user_id=user.pk, kind=str(kind), title=title[:200], body=body, url=url,
        notification_id=notification.pk if notification else None,
        created_at=notification.created_at if notification else None,
    )  # fmt: skip
    outside = [channel for channel in (Channel.EMAIL, Channel.PUSH) if channel in wanted and channels.sender(channel)]
    for channel in outside:
        transaction.on_commit(functools.partial(channels.deliver, channel, notice))
    return notification is not None or bool(outside)


def do_mark_notifications_read(user: User, ids: list[int] | None = None) -> int:
    """Mark the caller's unread notices read: those of ``ids`` (others' IDs are ignored), or all.
    Returns how many changed; marking a read notice again changes nothing."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def do_set_notification_preferences(user: User, choices: dict[str, set[Channel]]) -> None:
    """Store where each named kind goes (``{kind: {channels}}``); kinds not named keep theirs."""
    for kind, wanted in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=NotificationKind(kind),
            defaults={channel.value: channel in wanted for channel in Channel},
        )  # fmt: skip


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def via(request: HttpRequest | None) -> str:
    return "api" if request is not None and request.path.startswith("/api/") else "web"


def _issue_token_pair(user: User, request: HttpRequest | None, family: uuid.UUID | None = None) -> TokenPair:
    raw = REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    RefreshToken.objects.create(
        user=user,
        family=family or uuid.uuid4(),
        token_hash=_hash(raw),
        created_at=now,
        expires_at=now + timedelta(days=settings.REFRESH_TOKEN_TTL_DAYS),
        ip_address=_ip(request),
        user_agent=(request.headers.get("User-Agent", "") if request is not None else "")[:300],
    )
    return TokenPair(
        access_token=tokens.issue_access_token(user),
        refresh_token=raw,
        expires_in=settings.ACCESS_TOKEN_TTL_SECONDS,
    )


def _ip(request: HttpRequest | None) -> str | None:
    from momentum.platform.client_address import client_ip

    return client_ip(request)


def do_record_sign_in(user: User, *, request: HttpRequest | None, method: str = "password") -> None:
    User.objects.filter(pk=user.pk).update(last_seen_at=timezone.now())
    do_record_audit(
        AuditAction.AUTH_SIGNED_IN, actor=user, subject=user, resource=user, request=request,
        metadata={"via": via(request), "method": method},
    )  # fmt: skip


def do_record_sign_in_failure(email: str, *, request: HttpRequest | None, reason: str) -> None:
    """A refused attempt: about the account when it exists (no address stored), else the address tried."""
    user = User.objects.filter(email__iexact=email.strip()).first() if email else None
    metadata: dict[str, Any] = {"via": via(request), "reason": reason}
    if user is None:
        metadata["email"] = email.strip().lower()[:254]
    do_record_audit(AuditAction.AUTH_SIGN_IN_FAILED, subject=user, resource=user, request=request, metadata=metadata)


def do_sign_in_with_password(email: str, password: str, otp_code: str | None, *, request: HttpRequest) -> TokenPair:
    """POST /auth/token: password (and the second factor when on) for a token pair, throttled like the page."""
    try:
        user = signin.check_password(request, email, password)
        if user is None:
            raise Problem(401, "invalid_credentials", _("The email address or the password is not correct."))
        if signin.has_second_factor(user):
            if not otp_code:
                raise Problem(401, "mfa_required", _("This account uses two-factor authentication: send otp_code."))
            if not signin.check_second_factor(request, user, otp_code.strip()):
                raise Problem(401, "mfa_required", _("The authentication code is not correct; try the current one."))
    except signin.SignInThrottled as throttled:
        do_record_sign_in_failure(email, request=request, reason="throttled")
        raise Problem(
            429, "too_many_attempts",
            _("Too many failed sign-in attempts; retry in %(seconds)d s.") % {"seconds": throttled.retry_after},
            headers={"Retry-After": str(throttled.retry_after)},
        ) from None  # fmt: skip
    with transaction.atomic():
        pair = _issue_token_pair(user, request)
        do_record_sign_in(user, request=request, method="password+totp" if otp_code else "password")
    return pair


def _revoke_family(family: uuid.UUID, now: Any) -> int:
    return RefreshToken.objects.filter(family=family, revoked_at__isnull=True).update(revoked_at=now)


def do_refresh_tokens(raw: str, *, request: HttpRequest) -> TokenPair:
    """POST /auth/refresh: spend the refresh token for a new pair of the same family.

    A token presented a second time means it leaked (or two clients share it): every token of
    its family is revoked, so the thief's and the owner's sessions both end.
    """
    token = RefreshToken.objects.select_related("user").filter(token_hash=_hash(raw.strip())).first()
    if token is None:
        raise Problem(401, "invalid_token", _("This refresh token is not valid; sign in again."))
    now = timezone.now()
    if token.revoked_at is not None:
        raise Problem(401, "token_revoked", _("This refresh token was revoked; sign in again."))
    if token.expires_at <= now:
        raise Problem(401, "token_expired", _("This refresh token has expired; sign in again."))
    if not token.user.is_active:
        raise Problem(401, "invalid_token", _("This refresh token is not valid; sign in again."))
    with transaction.atomic():
        spent = RefreshToken.objects.filter(pk=token.pk, used_at__isnull=True, revoked_at__isnull=True).update(
            used_at=now
        )
        pair = _issue_token_pair(token.user, request, family=token.family) if spent else None
    if pair is None:
        with transaction.atomic():
            revoked = _revoke_family(token.family, now)
            do_record_audit(
                AuditAction.AUTH_REFRESH_TOKEN_REUSED, subject=token.user, resource=token, request=request,
                metadata={"family": str(token.family), "revoked": revoked},
            )  # fmt: skip
        raise Problem(401, "token_reused", _("This refresh token was used before; all its sessions are signed out."))
    return pair


@transaction.atomic
def do_sign_out_token(raw: str, user: User, *, request: HttpRequest) -> None:
    """POST /auth/logout: revoke the session (family) of the caller's refresh token; others' are untouched."""
    token = RefreshToken.objects.filter(token_hash=_hash(raw.strip()), user=user).first()
    if token is None:
        return
    _revoke_family(token.family, timezone.now())
    do_record_audit(AuditAction.AUTH_SIGNED_OUT, actor=user, subject=user, resource=user, request=request,
                    metadata={"via": "api"})  # fmt: skip


def do_revoke_refresh_tokens(user: User, *, reason: str) -> int:
    """End every API session of ``user`` (a password change or reset, erasure)."""
    return RefreshToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- GDPR -----------------------------------------------------------------------------------------


def do_export_personal_data(user: User, *, request: HttpRequest | None) -> dict[str, Any]:
    """Everything Momentum holds about ``user``; the export itself is audited."""
    do_record_audit(AuditAction.ACCOUNT_DATA_EXPORTED, actor=user, subject=user, resource=user, request=request)
    return gdpr.export(user)


@transaction.atomic
def do_erase_account(user: User, *, request: HttpRequest | None) -> User:
    """Erase or irreversibly anonymise everything personal; accounting records and aggregates remain.

    The user row stays (payments point at it) as an anonymous, inactive placeholder that cannot
    sign in; its email becomes an undeliverable address under the reserved .invalid domain.
    A last mail to the old address confirms the deletion (sent after the commit, then forgotten).
    """
    address, name, language = user.email, user.name, user.language or translation.get_language()
    transaction.on_commit(lambda: _send_deletion_mail(address, name, language))
    gdpr.erase(user)
    placeholder = f"erased-{uuid.uuid4().hex}@erased.invalid"
    user.email = placeholder
    user.display_name = ""
    user.age_range = user.gender = user.country = user.education = user.occupation = ""
    user.timezone = "UTC"
    user.language = ""
    user.reminder_emails = False
    user.is_active = False
    user.role = Role.FREE  # an erased account keeps no rights, and shows none in the studio
    user.last_seen_at = None
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.save()
    # Recorded without the caller's address or browser: the event must not re-identify the person.
    do_record_audit(AuditAction.ACCOUNT_ERASED, subject=user, resource=user, metadata={"via": via(request)})
    return user


def _send_deletion_mail(address: str, name: str, language: str) -> None:
    with translation.override(language):
        send_site_mail(
            to=address,
            subject=gettext("Your account has been deleted"),
            template="accounts/email/account_deleted.txt",
            context={"name": name},
            kind="account_deleted",
        )
