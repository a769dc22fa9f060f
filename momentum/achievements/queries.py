"""Reading badges and a learner's awards."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from momentum.achievements.models import Badge, BadgeAward


def badges() -> QuerySet[Badge]:
    return Badge.objects.all()


def awards_of(user: Any) -> QuerySet[BadgeAward]:
    return BadgeAward.objects.filter(user=user).select_related("badge", "credential").order_by("-awarded_at", "-id")


def badge_shelf(user: Any) -> list[dict[str, Any]]:
    """Every badge with the learner's award (or None), earned ones first: two queries."""
    earned = {award.badge_id: award for award in BadgeAward.objects.filter(user=user)}
    shelf = [{"badge": badge, "award": earned.get(badge.pk)} for badge in badges()]
    return sorted(shelf, key=lambda item: item["award"] is None)
