"""Money: payments, what they entitle a learner to, the premium plan, provider webhooks."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from momentum.catalog.models import Course
from momentum.lib.timestamps import Timestamped


class Product(models.TextChoices):
    COURSE = "COURSE", "Premium course"
    PLAN = "PLAN", "Premium plan"


class PaymentStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    SUCCEEDED = "SUCCEEDED", "Paid"
    FAILED = "FAILED", "Failed"
    CANCELLED = "CANCELLED", "Cancelled"
    EXPIRED = "EXPIRED", "Expired"
    REFUNDED = "REFUNDED", "Refunded"


class Provider(models.TextChoices):
    SANDBOX = "sandbox", "Sandbox (test mode)"
    STRIPE = "stripe", "Stripe"


class Payment(Timestamped):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # PROTECT: payments are accounting records; erasing a person anonymises the user row instead.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    product = models.CharField(max_length=6, choices=Product)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, null=True, blank=True, related_name="payments")
    plan = models.CharField(max_length=40, blank=True)
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="usd")
    status = models.CharField(max_length=9, choices=PaymentStatus, default=PaymentStatus.PENDING)
    provider = models.CharField(max_length=10, choices=Provider)
    provider_session_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    provider_payment_id = models.CharField(max_length=255, blank=True)
    provider_subscription_id = models.CharField(max_length=255, blank=True)
    # A plan's payments are the provider's invoices: the first comes with the checkout, renewals after.
    provider_invoice_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    idempotency_key = models.CharField(max_length=255, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(product__in=Product.values), name="payment_product_valid"),
            models.CheckConstraint(condition=Q(status__in=PaymentStatus.values), name="payment_status_valid"),
            models.CheckConstraint(condition=Q(provider__in=Provider.values), name="payment_provider_valid"),
            models.CheckConstraint(
                condition=(Q(product=Product.COURSE) & Q(course__isnull=False) & Q(plan=""))
                | (Q(product=Product.PLAN) & Q(course__isnull=True) & ~Q(plan="")),
                name="payment_course_xor_plan",
            ),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.SUCCEEDED) | Q(paid_at__isnull=False), name="payment_paid_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.REFUNDED) | (Q(paid_at__isnull=False) & Q(refunded_at__isnull=False)),
                name="payment_refund_has_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="payment_by_user"),
            models.Index(fields=["status", "paid_at"], name="payment_by_status_paid"),
            models.Index(fields=["-created_at"], name="payment_by_time"),
            models.Index(fields=["provider_payment_id"], name="payment_by_provider_payment"),
            models.Index(fields=["provider_subscription_id"], name="payment_by_subscription"),
        ]


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    PAST_DUE = "PAST_DUE", "Payment failed"
    CANCELLED = "CANCELLED", "Cancelled"


class Subscription(Timestamped):
    """The premium monthly plan of one learner at one provider."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    plan = models.CharField(max_length=40)
    provider = models.CharField(max_length=10, choices=Provider)
    provider_subscription_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=9, choices=SubscriptionStatus, default=SubscriptionStatus.ACTIVE)
    current_period_end = models.DateTimeField()
    cancel_at_period_end = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=SubscriptionStatus.values), name="subscription_status_valid"),
        ]
        indexes = [models.Index(fields=["user", "status"], name="subscription_by_user")]


class EntitlementKind(models.TextChoices):
    COURSE = "COURSE", "Course purchase"
    PLAN = "PLAN", "Premium plan"


class Entitlement(Timestamped):
    """A right to premium content, granted only by a verified provider event."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entitlements")
    kind = models.CharField(max_length=6, choices=EntitlementKind)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    payment = models.ForeignKey(Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EntitlementKind.values), name="entitlement_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind=EntitlementKind.COURSE) & Q(course__isnull=False))
                | (Q(kind=EntitlementKind.PLAN) & Q(subscription__isnull=False)),
                name="entitlement_has_target",
            ),
            models.UniqueConstraint(
                fields=["user", "course"], condition=Q(kind=EntitlementKind.COURSE), name="entitlement_one_per_course"
            ),
            models.UniqueConstraint(
                fields=["subscription"], condition=Q(kind=EntitlementKind.PLAN), name="entitlement_one_per_subscription"
            ),
        ]
        indexes = [models.Index(fields=["user", "kind", "revoked_at"], name="entitlement_by_user")]


class WebhookEvent(models.Model):
    """Every provider event received, once: replays of the same event id change nothing."""

    provider = models.CharField(max_length=10, choices=Provider)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")]
