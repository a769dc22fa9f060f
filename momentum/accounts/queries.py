"""Reads of the accounts app."""

from __future__ import annotations

from typing import Any

from momentum.accounts import signin
from momentum.accounts.models import User


def profile(user: User) -> dict[str, Any]:
    """GET /me: the account as its owner sees it."""
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "email_verified": user.email_verified,
        "mfa_enabled": signin.has_second_factor(user),
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


def active_admins() -> list[User]:
    """The accounts told when something waits for an admin (a course to approve)."""
    from momentum.accounts.models import Role

    return list(User.objects.filter(role=Role.ADMIN, is_active=True, erased_at__isnull=True).order_by("pk"))


def active_instructor_by_email(email: str) -> User | None:
    """The active INSTRUCTOR account with this address (a course owner adding a co-instructor)."""
    from momentum.accounts.models import Role

    return User.objects.filter(email=email.strip().lower(), role=Role.INSTRUCTOR, is_active=True).first()
