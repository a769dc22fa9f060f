"""Personal data of the accounts app: the profile, sign-in addresses, linked providers, MFA, API sessions."""

from __future__ import annotations

from typing import Any

from momentum.accounts.models import Notification, NotificationPreference, RefreshToken, User


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(user: User) -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    return {
        "profile": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "email_verified": user.email_verified,
            "language": user.language,
            "timezone": user.timezone,
            "demographics": {
                "age_range": user.age_range,
                "gender": user.gender,
                "country": user.country,
                "education": user.education,
                "occupation": user.occupation,
            },
            "reminder_emails": user.reminder_emails,
            "notification_preferences": {
                p.kind: {"in_app": p.in_app, "email": p.email, "push": p.push}
                for p in NotificationPreference.objects.filter(user=user).order_by("kind")
            },
            "created_at": _iso(user.created_at),
            "last_seen_at": _iso(user.last_seen_at),
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "linked_accounts": [
            {"provider": s.provider, "uid": s.uid, "date_joined": _iso(s.date_joined), "last_login": _iso(s.last_login)}
            for s in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        "two_factor": [
            {"type": a.type, "created_at": _iso(a.created_at), "last_used_at": _iso(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "api_sessions": [
            {
                "created_at": _iso(t.created_at),
                "expires_at": _iso(t.expires_at),
                "used_at": _iso(t.used_at),
                "revoked_at": _iso(t.revoked_at),
                "ip_address": t.ip_address,
                "user_agent": t.user_agent,
            }
            for t in RefreshToken.objects.filter(user=user).order_by("created_at")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
            }
            for n in Notification.objects.filter(user=user).order_by("created_at")
        ],
    }


def erase(user: User) -> None:
    """Addresses, linked providers, authenticators, API sessions, notices and notice settings go; the
    row is anonymised by the action."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    RefreshToken.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
