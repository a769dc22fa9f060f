"""Personal data of the achievements app: the badges a person earned (GDPR export and erasure)."""

from __future__ import annotations

from typing import Any

from momentum.achievements.models import BadgeAward


def export(user: Any) -> dict[str, Any]:
    awards = BadgeAward.objects.filter(user=user).select_related("badge").order_by("awarded_at")
    return {
        "badges": [
            {
                "badge": {"code": a.badge.code, "name": a.badge.name, "description": a.badge.description},
                "awarded_at": a.awarded_at.isoformat(),
                "context": a.context,
            }
            for a in awards
        ]
    }


def erase(user: Any) -> None:
    BadgeAward.objects.filter(user=user).delete()
