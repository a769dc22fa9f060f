"""Reads of web push: a learner's subscriptions and settings, what is due, whether pushes go unanswered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet
from django.urls import reverse

from momentum.analytics.models import LearningEvent
from momentum.learning.streaks import local_date
from momentum.webpush.models import DeliveryStatus, PushDelivery, PushMessage, PushSettings, PushSubscription


def push_service_of(endpoint: str) -> str:
    """The push service's host: enough to tell Chrome's from Firefox's, without the capability URL."""
    return PushSubscription(endpoint=endpoint).push_service


def subscriptions_of(user: Any) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user).order_by("pk")


def has_subscription(user: Any) -> bool:
    return PushSubscription.objects.filter(user=user).exists()


def settings_of(user: Any) -> PushSettings:
    """The learner's push settings (unsaved defaults when they never chose)."""
    return PushSettings.objects.filter(user=user).first() or PushSettings(user=user)


def reminder_hour_of(user: Any) -> int:
    chosen = settings_of(user).reminder_hour
    return settings.REMINDER_HOUR if chosen is None else chosen


def pushed_today(user: Any, moment: datetime) -> bool:
    return PushMessage.objects.filter(user=user, local_date=local_date(user, moment)).exists()


def last_activity_at(user: Any) -> datetime | None:
    """When the learner last did anything we record (opened a lesson, completed one, took a quiz...)."""
    found: datetime | None = LearningEvent.objects.filter(user=user).aggregate(last=Max("occurred_at"))["last"]
    return found


def ignored_in_a_row(user: Any) -> int:
    """How many of the latest pushes the learner neither clicked nor followed with a visit."""
    chosen = settings_of(user)
    visited = last_activity_at(user)
    recent = PushMessage.objects.filter(user=user).order_by("-created_at")
    if chosen.resumed_at is not None:
        recent = recent.filter(created_at__gt=chosen.resumed_at)
    ignored = 0
    for created_at, clicked_at in recent.values_list("created_at", "clicked_at")[: settings.PUSH_IGNORED_LIMIT]:
        if clicked_at is not None or (visited is not None and visited > created_at):
            break
        ignored += 1
    return ignored


def click_url(message: PushMessage) -> str:
    """The address a click on the push opens: it records the click, then goes to the message's page."""
    return reverse("webpush:open", args=[message.click_token])


def message_by_click_token(token: Any) -> PushMessage | None:
    return PushMessage.objects.filter(click_token=token).select_related("user").first()


def due_delivery_ids(now: datetime) -> list[tuple[int, datetime]]:
    """Pending deliveries whose next attempt is due, with that time (the claim checks it is unchanged)."""
    due = (
        PushDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", "next_attempt_at")[:500]
    )
    return [(pk, at) for pk, at in due if at is not None]


def recent_messages(user: Any, limit: int = 5) -> list[PushMessage]:
    return list(PushMessage.objects.filter(user=user).order_by("-created_at")[:limit])
