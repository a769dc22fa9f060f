"""Reads of the accounts app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from momentum.accounts import signin
from momentum.accounts.models import (
    AUTHOR_KINDS,
    DEFAULT_CHANNELS,
    Channel,
    Notification,
    NotificationKind,
    NotificationPreference,
    User,
)
from momentum.lib import plain_rows


def profile(user: User) -> dict[str, Any]:
    """GET /me: the account as its owner sees it."""
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "email_verified": user.email_verified,
        "mfa_enabled": signin.has_second_factor(user),
        "language": user.language,
        "timezone": user.timezone,
        "reminder_emails": user.reminder_emails,
        "demographics": {
            "age_range": user.age_range,
            "gender": user.gender,
            "country": user.country,
            "education": user.education,
            "occupation": user.occupation,
        },
        "created_at": user.created_at,
    }


def recent_security_events(user: User, limit: int = 10) -> list[Any]:
    """The latest sign-ins and security changes of ``user``, for their security page."""
    from momentum.audit.models import AuditLog

    return list(AuditLog.objects.filter(subject=user, action__startswith="auth.").order_by("-created_at")[:limit])


def active_api_sessions(user: User) -> int:
    """How many refresh-token families of ``user`` can still be refreshed."""
    from django.utils import timezone

    from momentum.accounts.models import RefreshToken

    return (
        RefreshToken.objects.filter(
            user=user, revoked_at__isnull=True, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .values("family")
        .distinct()
        .count()
    )


def reachable_user(user_id: int) -> User | None:
    """The account a notice may still reach: active and not erased (None otherwise)."""
    return User.objects.filter(pk=user_id, is_active=True, erased_at__isnull=True).first()


def active_admins() -> list[User]:
    """The accounts told when something waits for an admin (a course to approve)."""
    from momentum.accounts.models import Role

    return list(User.objects.filter(role=Role.ADMIN, is_active=True, erased_at__isnull=True).order_by("pk"))


def active_instructor_by_email(email: str) -> User | None:
    """The active INSTRUCTOR account with this address (a course owner adding a co-instructor)."""
    from momentum.accounts.models import Role

    return User.objects.filter(email=email.strip().lower(), role=Role.INSTRUCTOR, is_active=True).first()


# --- Notifications ----------------------------------------------------------------------------


def notification_channels(user: User, kind: str) -> frozenset[Channel]:
    """Where ``user`` wants ``kind`` notices to go: their choice, else the kind's default."""
    chosen = NotificationPreference.objects.filter(user=user, kind=kind).first()
    return chosen.channels() if chosen is not None else DEFAULT_CHANNELS[kind]


@dataclass(frozen=True)
class KindPreference:
    kind: str
    label: str
    in_app: bool
    email: bool
    push: bool


def notification_preferences(user: User) -> list[KindPreference]:
    """Every kind ``user`` can receive with the channels they get it on, in the kinds' order (one
    query); the course authors' kinds (a draft ready) for admins and instructors only."""
    chosen = {row.kind: row.channels() for row in NotificationPreference.objects.filter(user=user)}
    rows = []
    for kind in NotificationKind:
        if kind in AUTHOR_KINDS and not (user.is_admin or user.is_instructor):
            continue
        wanted = chosen.get(kind, DEFAULT_CHANNELS[kind])
        rows.append(
            KindPreference(
                kind=kind.value, label=str(kind.label), in_app=Channel.IN_APP in wanted,
                email=Channel.EMAIL in wanted, push=Channel.PUSH in wanted,
            )
        )  # fmt: skip
    return rows


def notifications(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """The person's notices, newest first (the inbox index)."""
    found = Notification.objects.filter(user=user)
    if unread:
        found = found.filter(read_at__isnull=True)
    return found.order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    """The bell's number: one count on the inbox index."""
    if not getattr(user, "is_authenticated", False):
        return 0
    # on every signed-in page: plain SQL (lib/plain_rows.py), the same count on the same index
    return plain_rows.count(Notification, "user_id = %s AND read_at IS NULL", [user.pk])
