"""Personal data of web push: the browsers a person subscribed, their reminder hour, the pushes sent."""

from __future__ import annotations

from typing import Any

from momentum.webpush.models import PushMessage, PushSettings, PushSubscription


def export(user: Any) -> dict[str, Any]:
    chosen = PushSettings.objects.filter(user=user).first()
    return {
        "push_subscriptions": [
            {"push_service": s.push_service, "user_agent": s.user_agent, "created_at": s.created_at.isoformat()}
            for s in PushSubscription.objects.filter(user=user).order_by("created_at")
        ],
        "push_settings": {
            "reminder_hour": chosen.reminder_hour if chosen else None,
            "paused_at": chosen.paused_at.isoformat() if chosen and chosen.paused_at else None,
        },
        "push_messages": [
            {
                "kind": m.kind, "title": m.title, "body": m.body, "url": m.url,
                "created_at": m.created_at.isoformat(),
                "clicked_at": m.clicked_at.isoformat() if m.clicked_at else None,
            }
            for m in PushMessage.objects.filter(user=user).order_by("created_at")
        ],
    }  # fmt: skip


def erase(user: Any) -> None:
    PushMessage.objects.filter(user=user).delete()
    PushSubscription.objects.filter(user=user).delete()
    PushSettings.objects.filter(user=user).delete()
