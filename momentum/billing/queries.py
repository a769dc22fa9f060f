"""Reading billing state: who may open premium content, payments and plans for the pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from momentum.billing.models import (
    Entitlement,
    EntitlementKind,
    Payment,
    PaymentStatus,
    Product,
    Provider,
    Subscription,
    SubscriptionStatus,
    WebhookEvent,
)


def has_premium_access(user: Any, course: Any) -> bool:
    """Whether ``user`` may take ``course``: free courses always; premium ones with the PREMIUM or
    ADMIN role, a purchase of this course, or an active premium plan."""
    if not course.is_premium:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_premium:
        return True
    now = timezone.now()
    active = Entitlement.objects.filter(user=user, revoked_at__isnull=True, starts_at__lte=now).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    )
    return active.filter(Q(kind=EntitlementKind.COURSE, course=course) | Q(kind=EntitlementKind.PLAN)).exists()


def payments_of(user: Any) -> QuerySet[Payment]:
    """A learner's payments, newest first."""
    return Payment.objects.filter(user=user).select_related("course").order_by("-created_at")


def payment_of_owner(user: Any, payment_id: Any) -> Payment:
    """One of ``user``'s payments, or 404 (someone else's payment does not exist for them)."""
    payment = payments_of(user).filter(pk=payment_id).first()
    if payment is None:
        raise Http404("No such payment")
    return payment


def sandbox_payment_of_owner(user: Any, session_id: str) -> Payment:
    payment = (
        payments_of(user)
        .filter(provider=Provider.SANDBOX, provider_session_id=session_id)
        .select_related("user")
        .first()
    )
    if payment is None:
        raise Http404("No such checkout")
    return payment


def current_subscription(user: Any) -> Subscription | None:
    """The learner's plan that still matters: the live one, else the one that ended last."""
    plans = Subscription.objects.filter(user=user)
    live = plans.exclude(status=SubscriptionStatus.CANCELLED).order_by("-created_at").first()
    return live or plans.order_by("-cancelled_at", "-created_at").first()


def studio_payments(*, status: str = "", product: str = "", provider: str = "", q: str = "") -> QuerySet[Payment]:
    payments = Payment.objects.select_related("user", "course").order_by("-created_at")
    if status in PaymentStatus.values:
        payments = payments.filter(status=status)
    if product in Product.values:
        payments = payments.filter(product=product)
    if provider in Provider.values:
        payments = payments.filter(provider=provider)
    if q:
        payments = payments.filter(Q(user__email__icontains=q) | Q(course__title__icontains=q))
    return payments


def subscriptions_by_provider_id(provider_ids: list[str]) -> dict[str, Subscription]:
    found = Subscription.objects.filter(provider_subscription_id__in=[p for p in provider_ids if p])
    return {subscription.provider_subscription_id: subscription for subscription in found}


def live_subscriptions() -> QuerySet[Subscription]:
    return (
        Subscription.objects.exclude(status=SubscriptionStatus.CANCELLED)
        .select_related("user")
        .order_by("current_period_end")
    )


@dataclass(frozen=True)
class RevenueSummary:
    days: int
    revenue_cents: int
    refunded_cents: int
    payments_succeeded: int
    live_plans: int

    @property
    def net_cents(self) -> int:
        return self.revenue_cents - self.refunded_cents


def revenue_summary(days: int = 30) -> RevenueSummary:
    """Money in over the last ``days`` (by payment date) and money back (by refund date)."""
    since = timezone.now() - timedelta(days=days)
    paid = Payment.objects.filter(
        status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED), paid_at__gte=since
    ).aggregate(total=Sum("amount_cents"), count=Count("id"))
    refunded = Payment.objects.filter(status=PaymentStatus.REFUNDED, refunded_at__gte=since).aggregate(
        total=Sum("amount_cents")
    )
    return RevenueSummary(
        days=days,
        revenue_cents=paid["total"] or 0,
        refunded_cents=refunded["total"] or 0,
        payments_succeeded=paid["count"] or 0,
        live_plans=live_subscriptions().count(),
    )


def recent_webhook_events(limit: int = 20) -> list[WebhookEvent]:
    return list(WebhookEvent.objects.defer("payload").order_by("-received_at")[:limit])


def stale_sandbox_checkouts(older_than: timedelta) -> QuerySet[Payment]:
    return Payment.objects.filter(
        provider=Provider.SANDBOX,
        status=PaymentStatus.PENDING,
        created_at__lt=timezone.now() - older_than,
    ).exclude(provider_session_id=None)
