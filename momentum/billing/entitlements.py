"""What payments grant: course entitlements, plan access, and the PREMIUM role a plan implies.

The only code that grants, extends or ends an entitlement. A course purchase also enrols the
buyer (learning's ``do_enroll``); a plan's access follows its subscription, and the learner's
role follows their plan access through accounts' ``do_follow_premium_plan`` (accounts owns the
role).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from momentum.accounts.admin_actions import do_follow_premium_plan
from momentum.accounts.models import Role, User
from momentum.billing.audit_actions import AuditAction
from momentum.billing.bookkeeping import audit
from momentum.billing.models import (
    Entitlement,
    EntitlementKind,
    Payment,
    PaymentStatus,
    Product,
    Subscription,
    SubscriptionStatus,
)
from momentum.billing.products import PLAN_CODE, one_month_after
from momentum.learning import actions as learning
from momentum.lib.logs import get_logger

log = get_logger("momentum.billing")

# A monthly plan renews a little after its period ends (Stripe charges about an hour later):
# access lasts this long past the period end unless the plan is cancelled or its payment fails.
RENEWAL_GRACE = timedelta(hours=24)


def grant_course(payment: Payment, *, event_id: str) -> None:
    entitlement, created = Entitlement.objects.update_or_create(
        user=payment.user,
        kind=EntitlementKind.COURSE,
        course=payment.course,
        defaults={"payment": payment, "starts_at": timezone.now(), "ends_at": None, "revoked_at": None},
    )
    audit(AuditAction.ENTITLEMENT_GRANTED, entitlement, subject=payment.user, event_id=event_id,
          kind=EntitlementKind.COURSE, course_id=payment.course_id, payment_id=str(payment.id))  # fmt: skip
    if not created:
        log.warning("course_bought_again", payment_id=str(payment.id), course_id=payment.course_id)
    # Buying a course is asking to take it: the buyer is enrolled (learning's action is idempotent).
    assert payment.course is not None  # noqa: S101  (a course payment always names its course)
    learning.do_enroll(payment.user, payment.course, now=payment.paid_at)


def start_plan(payment: Payment, *, event_id: str) -> None:
    """A plan's first payment succeeded: its subscription starts (once) and grants access."""
    assert payment.paid_at is not None  # noqa: S101  (set by the caller)
    subscription, created = Subscription.objects.get_or_create(
        provider_subscription_id=payment.provider_subscription_id,
        defaults={
            "user": payment.user,
            "plan": payment.plan or PLAN_CODE,
            "provider": payment.provider,
            "status": SubscriptionStatus.ACTIVE,
            # Provisional until the provider's subscription or invoice events say exactly.
            "current_period_end": one_month_after(payment.paid_at),
        },
    )
    if created:
        audit(AuditAction.SUBSCRIPTION_CREATED, subscription, subject=payment.user, event_id=event_id,
              plan=subscription.plan, payment_id=str(payment.id),
              current_period_end=subscription.current_period_end.isoformat())  # fmt: skip
    refresh_plan_access(subscription, event_id=event_id)


def take_back(payment: Payment, *, at: datetime, event_id: str) -> None:
    """``payment`` was refunded: what it bought ends now."""
    if payment.product == Product.COURSE:
        for entitlement in Entitlement.objects.filter(
            user=payment.user, kind=EntitlementKind.COURSE, course=payment.course, revoked_at=None
        ):
            entitlement.revoked_at = at
            entitlement.save(update_fields=["revoked_at", "updated_at"])
            audit(AuditAction.ENTITLEMENT_REVOKED, entitlement, subject=payment.user, event_id=event_id,
                  reason="refund", payment_id=str(payment.id))  # fmt: skip
    else:
        # A refunded plan payment gives back the period it paid for: plan access ends now.
        subscription = Subscription.objects.filter(provider_subscription_id=payment.provider_subscription_id).first()
        if subscription is not None:
            end_plan_access(subscription, at=at, event_id=event_id, reason="refund")


def _plan_access_until(subscription: Subscription) -> datetime | None:
    """When an entitled plan's access ends; None when the plan entitles nothing now."""
    if subscription.status != SubscriptionStatus.ACTIVE or _latest_period_refunded(subscription):
        return None
    if subscription.cancel_at_period_end:
        return subscription.current_period_end
    return subscription.current_period_end + RENEWAL_GRACE


def _latest_period_refunded(subscription: Subscription) -> bool:
    """Whether the payment for the plan's latest period was refunded (until a renewal pays again)."""
    latest = (
        Payment.objects.filter(
            provider_subscription_id=subscription.provider_subscription_id,
            status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED),
        )
        .order_by("-paid_at")
        .values_list("status", flat=True)
        .first()
    )
    return latest == PaymentStatus.REFUNDED


def refresh_plan_access(subscription: Subscription, *, event_id: str) -> None:
    """Make the plan's entitlement and the learner's role agree with the subscription."""
    until = _plan_access_until(subscription)
    now = timezone.now()
    if until is None:
        end_plan_access(subscription, at=now, event_id=event_id, reason=subscription.status.lower())
        return
    entitlement = Entitlement.objects.filter(kind=EntitlementKind.PLAN, subscription=subscription).first()
    if entitlement is None:
        entitlement = Entitlement.objects.create(
            user=subscription.user, kind=EntitlementKind.PLAN, subscription=subscription, starts_at=now, ends_at=until
        )
        audit(AuditAction.ENTITLEMENT_GRANTED, entitlement, subject=subscription.user, event_id=event_id,
              kind=EntitlementKind.PLAN, ends_at=until.isoformat())  # fmt: skip
    elif entitlement.ends_at != until:
        previous = entitlement.ends_at
        entitlement.ends_at = until
        entitlement.save(update_fields=["ends_at", "updated_at"])
        longer = previous is None or until > previous
        audit(AuditAction.ENTITLEMENT_EXTENDED if longer else AuditAction.ENTITLEMENT_SHORTENED, entitlement,
              subject=subscription.user, event_id=event_id,
              previous_ends_at=previous.isoformat() if previous else None, ends_at=until.isoformat())  # fmt: skip
    _sync_premium_role(subscription.user, reason=event_id)


def end_plan_access(subscription: Subscription, *, at: datetime, event_id: str, reason: str) -> None:
    entitlement = Entitlement.objects.filter(kind=EntitlementKind.PLAN, subscription=subscription).first()
    if entitlement is not None and (entitlement.ends_at is None or entitlement.ends_at > at):
        entitlement.ends_at = at
        entitlement.save(update_fields=["ends_at", "updated_at"])
        audit(AuditAction.ENTITLEMENT_ENDED, entitlement, subject=subscription.user, event_id=event_id, reason=reason)
    _sync_premium_role(subscription.user, reason=event_id or reason)


def _active_plan(user: User, now: datetime) -> bool:
    return (
        Entitlement.objects.filter(user=user, kind=EntitlementKind.PLAN, revoked_at=None, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .exists()
    )


def _sync_premium_role(user: User, *, reason: str) -> None:
    """PREMIUM while a plan entitles the learner, FREE after (accounts owns the role)."""
    do_follow_premium_plan(user, entitled=lambda locked: _active_plan(locked, timezone.now()), cause=reason)


@transaction.atomic
def do_end_lapsed_plan_access() -> int:
    """Premium learners whose plan access has run out without news from the provider go back to FREE."""
    now = timezone.now()
    lapsed = (
        User.objects.filter(role=Role.PREMIUM, entitlements__kind=EntitlementKind.PLAN, entitlements__ends_at__lte=now)
        .distinct()
        .order_by("pk")
    )
    demoted = 0
    for user in lapsed:
        if not _active_plan(user, now):
            _sync_premium_role(user, reason="plan_lapsed")
            demoted += 1
    return demoted
