"""Every write of web push: subscriptions, the push itself and its retries, clicks, the learner's settings.

``do_push`` is the "push" channel of notifications: at most one push a day per learner, none while
the learner ignored the last PUSH_IGNORED_LIMIT pushes (no click, no visit since), one PushDelivery
per subscription. Network calls happen outside transactions; each delivery's outcome is written
after its answer (sender.py says what each answer means).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from momentum.audit.actions import do_record_audit
from momentum.learning.streaks import local_date
from momentum.lib import clock
from momentum.lib.logs import get_logger
from momentum.lib.problems import Invalid
from momentum.webpush import queries, sender
from momentum.webpush.audit_actions import AuditAction
from momentum.webpush.models import DeliveryStatus, PushDelivery, PushMessage, PushSettings, PushSubscription
from momentum.webpush.vapid import PushDisabled

log = get_logger("momentum.webpush")

MAX_ATTEMPTS = 8
GIVE_UP_AFTER = timedelta(seconds=sender.TTL_SECONDS)  # a reminder left undelivered this long is stale
MAX_BACKOFF = timedelta(hours=1)


# --- Subscriptions -----------------------------------------------------------------------------


def do_subscribe(
    user: Any, *, endpoint: str, p256dh: str, auth: str, user_agent: str = "", request: HttpRequest | None = None
) -> tuple[PushSubscription, bool]:
    """Store a browser's subscription for ``user`` (created: True). The same endpoint again is the same
    subscription; an endpoint another account registered moves to this one (one browser, one account)."""
    with transaction.atomic():
        found = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
        if found is not None and found.user_id == user.pk:
            if (found.p256dh, found.auth) != (p256dh, auth):
                found.p256dh, found.auth = p256dh, auth
                found.save(update_fields=["p256dh", "auth"])
            return found, False
        if found is not None:
            found.delete()
        subscription = PushSubscription.objects.create(
            user=user, endpoint=endpoint, p256dh=p256dh, auth=auth, user_agent=user_agent[:300]
        )
        do_resume_push(user)  # subscribing again is asking for reminders again
        do_record_audit(
            AuditAction.PUSH_SUBSCRIBED, actor=user, subject=user, resource=subscription, request=request,
            metadata={"push_service": queries.push_service_of(endpoint)},
        )  # fmt: skip
        return subscription, True


def do_unsubscribe(user: Any, *, endpoint: str, request: HttpRequest | None = None) -> bool:
    with transaction.atomic():
        found = PushSubscription.objects.filter(user=user, endpoint=endpoint).first()
        if found is None:
            return False
        do_record_audit(
            AuditAction.PUSH_UNSUBSCRIBED, actor=user, subject=user, resource=found, request=request,
            metadata={"push_service": queries.push_service_of(endpoint)},
        )  # fmt: skip
        found.delete()
        return True


# --- The learner's settings --------------------------------------------------------------------


def do_set_reminder_hour(user: Any, hour: int | None) -> PushSettings:
    if hour is not None and not 0 <= hour <= 23:
        raise Invalid("reminder_hour", _("must be an hour of the day, 0 to 23"))
    chosen, _created = PushSettings.objects.update_or_create(user=user, defaults={"reminder_hour": hour})
    return chosen


def do_resume_push(user: Any) -> None:
    """Start pushing again after we stopped for unanswered pushes: count ignores from now on."""
    PushSettings.objects.filter(user=user, paused_at__isnull=False).update(paused_at=None, resumed_at=clock.now())


# --- Pushing -----------------------------------------------------------------------------------


def _checked_url(url: str) -> str:
    if not url.startswith("/") or url.startswith(("//", "/\\")) or len(url) > 500:
        raise ValueError(f"a push opens a page of this site (a path), not {url!r}")
    return url


def do_push(user: Any, *, kind: str, title: str, body: str, url: str) -> bool:
    """Push ``title``/``body`` to every browser the learner subscribed; a click opens ``url`` (a path).

    False, and nothing sent, when push is off, the learner has no subscription, already had a push
    today (their local day), or ignored the last pushes. True when the push went out or waits for a
    retry on at least one subscription.
    """
    url = _checked_url(url)
    now = clock.now()
    try:
        from momentum.webpush.vapid import signing_key

        signing_key()
    except PushDisabled:
        return False
    if not queries.has_subscription(user) or queries.pushed_today(user, now):
        return False
    if queries.ignored_in_a_row(user) >= settings.PUSH_IGNORED_LIMIT:
        _pause(user, now)
        return False
    try:
        with transaction.atomic():
            message = PushMessage.objects.create(
                user=user, kind=kind[:40], title=title[:120], body=body[:300], url=url,
                local_date=local_date(user, now), created_at=now,
            )  # fmt: skip
            deliveries = [
                PushDelivery.objects.create(message=message, subscription=subscription, next_attempt_at=now)
                for subscription in queries.subscriptions_of(user)
            ]
    except IntegrityError:
        return False  # another process pushed to this learner today meanwhile
    outcomes = [_attempt(delivery, now) for delivery in deliveries]
    return any(status in (DeliveryStatus.DELIVERED, DeliveryStatus.PENDING) for status in outcomes)


def _pause(user: Any, now: datetime) -> None:
    chosen, _created = PushSettings.objects.get_or_create(user=user)
    if chosen.paused_at is None:
        chosen.paused_at = now
        chosen.save(update_fields=["paused_at", "updated_at"])
        log.info("push_paused", user_id=user.pk, reason="ignored", limit=settings.PUSH_IGNORED_LIMIT)


def _attempt(delivery: PushDelivery, now: datetime) -> str:
    """Send one delivery and write what the push service said. Returns the delivery's new status."""
    subscription = delivery.subscription
    message = delivery.message
    if subscription is None:  # the subscription went away meanwhile
        return _finish(delivery, DeliveryStatus.GONE, error="the subscription was removed")
    result = sender.send(
        endpoint=subscription.endpoint,
        p256dh=subscription.p256dh,
        auth=subscription.auth,
        data=sender.payload(kind=message.kind, title=message.title, body=message.body, url=queries.click_url(message)),
        topic=message.kind.replace("_", "-")[:32],
    )
    delivery.attempts += 1
    delivery.last_status_code = result.status_code
    delivery.last_error = result.error
    if result.outcome is sender.Outcome.DELIVERED:
        PushSubscription.objects.filter(pk=subscription.pk).update(last_delivered_at=now)
        delivery.delivered_at = now
        return _finish(delivery, DeliveryStatus.DELIVERED)
    if result.outcome is sender.Outcome.GONE:
        log.info("push_subscription_gone", user_id=message.user_id, status=result.status_code)
        PushSubscription.objects.filter(pk=subscription.pk).delete()
        delivery.subscription = None
        return _finish(delivery, DeliveryStatus.GONE)
    if result.outcome is sender.Outcome.RETRY and delivery.attempts < MAX_ATTEMPTS:
        wait = (
            timedelta(seconds=result.retry_after_seconds)
            if result.retry_after_seconds is not None
            else timedelta(minutes=2**delivery.attempts)
        )
        delivery.next_attempt_at = now + min(wait, MAX_BACKOFF)
        if delivery.next_attempt_at <= message.created_at + GIVE_UP_AFTER:
            log.info("push_retry_later", user_id=message.user_id, status=result.status_code, error=result.error)
            delivery.save()
            return DeliveryStatus.PENDING
    log.warning("push_failed", user_id=message.user_id, status=result.status_code, error=result.error)
    return _finish(delivery, DeliveryStatus.FAILED)


def _finish(delivery: PushDelivery, status: str, *, error: str = "") -> str:
    delivery.status = status
    delivery.next_attempt_at = None
    if error:
        delivery.last_error = error
    delivery.save()
    return status


def do_retry_due_deliveries(now: datetime | None = None) -> int:
    """Try again every delivery whose time has come (after a 429, a 5xx or a timeout). Returns how many
    were delivered. Each is claimed first (its next attempt moved on), so two workers never both send it."""
    now = now or clock.now()
    delivered = 0
    for delivery_id, due_at in queries.due_delivery_ids(now):
        claimed = PushDelivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at=due_at
        ).update(next_attempt_at=now + MAX_BACKOFF)
        if not claimed:
            continue
        delivery = PushDelivery.objects.select_related("message", "subscription").get(pk=delivery_id)
        delivered += _attempt(delivery, now) == DeliveryStatus.DELIVERED
    return delivered


# --- Clicks --------------------------------------------------------------------------------------


def do_record_click(token: Any) -> PushMessage | None:
    """The learner opened a push: remember it (they are not ignoring us), and say where it leads."""
    message = queries.message_by_click_token(token)
    if message is None:
        return None
    if message.clicked_at is None:
        clicked = max(clock.now(), message.created_at)
        PushMessage.objects.filter(pk=message.pk, clicked_at__isnull=True).update(clicked_at=clicked)
        message.clicked_at = clicked
        do_resume_push(message.user)
    return message
