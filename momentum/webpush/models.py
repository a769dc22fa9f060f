"""Web push: a learner's browser subscriptions, their push settings, and every push we sent.

A PushMessage is one push to one learner (unique per learner and local day: never more than one a
day); a PushDelivery is that message to one of the learner's subscriptions, kept until the push
service took it (201) or said the subscription is gone (404/410); a 429 or 5xx leaves it pending
with the time of its next attempt, so nothing is lost to a busy push service.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlparse

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

ENDPOINT_MAX_LENGTH = 2048
P256DH_LENGTH = 87  # base64url of a 65-byte uncompressed P-256 point, unpadded
AUTH_LENGTH = 22  # base64url of the 16-byte authentication secret, unpadded


class PushSubscription(models.Model):
    """A browser's PushSubscription (endpoint + keys p256dh and auth), owned by one learner."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.CharField(max_length=ENDPOINT_MAX_LENGTH)
    p256dh = models.CharField(max_length=P256DH_LENGTH)
    auth = models.CharField(max_length=AUTH_LENGTH)
    user_agent = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    last_delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["endpoint"], name="push_subscription_endpoint_unique"),
            models.CheckConstraint(
                condition=Q(endpoint__startswith="https://") | Q(endpoint__startswith="http://"),
                name="push_subscription_endpoint_http",
            ),
            models.CheckConstraint(
                condition=Q(Exact(Length("p256dh"), P256DH_LENGTH)) & Q(Exact(Length("auth"), AUTH_LENGTH)),
                name="push_subscription_key_sizes",
            ),
        ]

    @property
    def push_service(self) -> str:
        """The push service's host (whose browser it is), without the capability URL's secret path."""
        return urlparse(self.endpoint).hostname or ""


class PushSettings(models.Model):
    """A learner's push choices: the local hour of their reminders, and whether we stopped for now."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_settings")
    reminder_hour = models.PositiveSmallIntegerField(null=True, blank=True)  # None: the site's reminder hour
    paused_at = models.DateTimeField(null=True, blank=True)  # set when pushes went unanswered too often
    resumed_at = models.DateTimeField(null=True, blank=True)  # ignores count from here
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(reminder_hour__isnull=True) | Q(reminder_hour__gte=0, reminder_hour__lte=23),
                name="push_settings_hour_of_day",
            ),
        ]


class PushKind(models.TextChoices):
    """The reminders this app sends by itself; do_push carries any notification kind."""

    LESSON_OPEN = "lesson_open", _("Today's lesson is open")
    STREAK_AT_RISK = "streak_at_risk", _("Streak at risk")


class PushMessage(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_messages")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=120)
    body = models.CharField(max_length=300)
    url = models.CharField(max_length=500)  # a path on this site
    local_date = models.DateField()
    created_at = models.DateTimeField()
    click_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clicked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "local_date"], name="push_message_one_a_day"),
            models.CheckConstraint(condition=~Q(kind=""), name="push_message_kind_not_empty"),
            models.CheckConstraint(
                condition=Q(url__startswith="/") & ~Q(url__startswith="//") & ~Q(url__startswith="/\\"),
                name="push_message_url_on_site",
            ),
            models.CheckConstraint(
                condition=Q(clicked_at__isnull=True) | Q(clicked_at__gte=F("created_at")),
                name="push_message_clicked_after_sent",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="push_message_user_recent")]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    GONE = "gone", _("Subscription gone")
    FAILED = "failed", _("Failed")


class PushDelivery(models.Model):
    message = models.ForeignKey(PushMessage, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(PushSubscription, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "subscription"], name="push_delivery_once_per_subscription"),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in DeliveryStatus]), name="push_delivery_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.PENDING) | Q(next_attempt_at__isnull=False),
                name="push_delivery_pending_has_next_attempt",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.DELIVERED) | Q(delivered_at__isnull=False),
                name="push_delivery_delivered_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="push_delivery_due")]
