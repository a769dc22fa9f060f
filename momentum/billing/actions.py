"""Writes of the billing app: payments, plans, entitlements, and the premium role they imply.

Three kinds of writes live here:

- starting a checkout (a PENDING payment and a provider session);
- applying what a verified provider event says happened (``billing.webhooks`` calls these):
  the only code that grants, extends or ends an entitlement (a course purchase also enrols the
  buyer, through learning's ``do_enroll``);
- asking the provider to cancel or refund (its answer comes back as an event).

Each state change records an audit event; a succeeded or refunded payment also records the
learning event (value in cents) and the business metrics that analytics and /metrics read. A
succeeded payment sends its receipt by email once the change has committed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from momentum.accounts.admin_actions import do_follow_premium_plan
from momentum.accounts.models import Notification, Role, User
from momentum.analytics.actions import do_record_event
from momentum.analytics.models import EventKind
from momentum.billing import providers, receipts
from momentum.billing.models import (
    Entitlement,
    EntitlementKind,
    Payment,
    PaymentStatus,
    Product,
    Subscription,
    SubscriptionStatus,
)
from momentum.billing.products import PLAN_CODE, Offer, one_month_after
from momentum.billing.queries import has_premium_access
from momentum.learning import actions as learning
from momentum.lib.logs import get_logger
from momentum.lib.problems import Conflict, Problem
from momentum.ops import metrics
from momentum.ops.actions import do_record_audit

log = get_logger("momentum.billing")

# A monthly plan renews a little after its period ends (Stripe charges about an hour later):
# access lasts this long past the period end unless the plan is cancelled or its payment fails.
RENEWAL_GRACE = timedelta(hours=24)


def _count(status: str) -> None:
    transaction.on_commit(lambda: metrics.PAYMENTS.labels(status).inc())


def _audit(
    action: str, resource: Any, *, subject: Any, actor: Any = None, request: Any = None, **metadata: Any
) -> None:
    do_record_audit(action, actor=actor, subject=subject, resource=resource, request=request, metadata=metadata)


# --- Checkout -------------------------------------------------------------------------------------


def refuse_purchase(user: User, offer: Offer) -> None:
    """Raise the Problem that stops ``user`` from buying ``offer``, if any."""
    if offer.course is not None:
        if not offer.course.is_premium or offer.course.price_cents <= 0:
            raise Conflict("not_for_sale", "This course is free: enrol without paying.")
        if not offer.course.is_published:
            raise Conflict("not_for_sale", "This course is not published.")
        if has_premium_access(user, offer.course):
            raise Conflict("already_entitled", "You already have access to this course.")
        return
    if Subscription.objects.filter(
        user=user, status__in=(SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)
    ).exists():
        raise Conflict("already_subscribed", "You already have a premium plan; manage it under Payments.")
    if user.is_premium:
        raise Conflict("already_entitled", "You already have premium access.")


def do_start_checkout(
    user: User, offer: Offer, *, site_url: str, idempotency_key: str = "", request: HttpRequest | None = None
) -> tuple[Payment, providers.CheckoutSession]:
    """Record a PENDING payment and open the provider's checkout session for it.

    Nothing is granted here: the provider's signed event does that once the learner has paid.
    """
    refuse_purchase(user, offer)
    provider = providers.current()
    provider.ensure_available()
    with transaction.atomic():
        payment = Payment.objects.create(
            user=user,
            product=offer.product,
            course=offer.course,
            plan=offer.plan,
            amount_cents=offer.amount_cents,
            currency=offer.currency,
            provider=provider.name,
            idempotency_key=idempotency_key[:255],
        )
        _audit(
            "payment.created", payment, subject=user, actor=user, request=request,
            product=offer.product, amount_cents=offer.amount_cents, currency=offer.currency, provider=provider.name,
        )  # fmt: skip
        _count(PaymentStatus.PENDING)
    checkout = providers.CheckoutRequest(
        payment=payment,
        offer=offer,
        customer_email=user.email,
        success_url=site_url + reverse("billing:checkout_success", args=[payment.id]),
        cancel_url=site_url + reverse("billing:checkout_cancelled", args=[payment.id]),
    )
    try:
        session = provider.create_checkout(checkout)
    except Exception as error:
        _fail_checkout(payment, error)
        raise
    Payment.objects.filter(pk=payment.pk).update(provider_session_id=session.id, updated_at=timezone.now())
    payment.provider_session_id = session.id
    return payment, session


@transaction.atomic
def _fail_checkout(payment: Payment, error: Exception) -> None:
    reason = error.code if isinstance(error, Problem) else type(error).__name__
    _move(payment, PaymentStatus.FAILED, allowed_from=(PaymentStatus.PENDING,), reason=reason, stage="checkout")


# --- Applying provider events -----------------------------------------------------------------


@transaction.atomic
def do_complete_payment(
    payment: Payment,
    *,
    event_id: str,
    amount_cents: int | None = None,
    provider_payment_id: str = "",
    provider_subscription_id: str = "",
    provider_invoice_id: str = "",
) -> Payment:
    """The provider took the money for ``payment``: mark it paid and grant what it buys."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if provider_payment_id and not payment.provider_payment_id:
        payment.provider_payment_id = provider_payment_id
    if provider_subscription_id and not payment.provider_subscription_id:
        payment.provider_subscription_id = provider_subscription_id
    if provider_invoice_id and not payment.provider_invoice_id:
        payment.provider_invoice_id = provider_invoice_id
    if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
        payment.save()
        return payment
    previous = payment.status
    if amount_cents is not None:
        payment.amount_cents = amount_cents
    payment.status = PaymentStatus.SUCCEEDED
    payment.paid_at = timezone.now()
    payment.save()
    _audit(
        "payment.succeeded", payment, subject=payment.user,
        event_id=event_id, previous_status=previous, amount_cents=payment.amount_cents, currency=payment.currency,
    )  # fmt: skip
    do_record_event(
        EventKind.PAYMENT_SUCCEEDED,
        user=payment.user,
        course=payment.course,
        value=payment.amount_cents,
        properties={"payment_id": str(payment.id), "product": payment.product, "plan": payment.plan,
                    "currency": payment.currency},
    )  # fmt: skip
    amount, currency = payment.amount_cents, payment.currency
    transaction.on_commit(lambda: metrics.REVENUE_CENTS.labels(currency).inc(amount))
    _count(PaymentStatus.SUCCEEDED)
    if payment.product == Product.COURSE:
        _grant_course(payment, event_id=event_id)
    elif payment.provider_subscription_id:
        _start_subscription(payment, event_id=event_id)
    payment_id = payment.pk
    transaction.on_commit(lambda: receipts.send_receipt(payment_id))
    return payment


def _grant_course(payment: Payment, *, event_id: str) -> None:
    entitlement, created = Entitlement.objects.update_or_create(
        user=payment.user,
        kind=EntitlementKind.COURSE,
        course=payment.course,
        defaults={"payment": payment, "starts_at": timezone.now(), "ends_at": None, "revoked_at": None},
    )
    _audit("entitlement.granted", entitlement, subject=payment.user, event_id=event_id,
           kind=EntitlementKind.COURSE, course_id=payment.course_id, payment_id=str(payment.id))  # fmt: skip
    if not created:
        log.warning("course_bought_again", payment_id=str(payment.id), course_id=payment.course_id)
    # Buying a course is asking to take it: the buyer is enrolled (learning's action is idempotent).
    assert payment.course is not None  # noqa: S101  (a course payment always names its course)
    learning.do_enroll(payment.user, payment.course, now=payment.paid_at)


def _start_subscription(payment: Payment, *, event_id: str) -> None:
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
        _audit("subscription.created", subscription, subject=payment.user, event_id=event_id,
               plan=subscription.plan, payment_id=str(payment.id),
               current_period_end=subscription.current_period_end.isoformat())  # fmt: skip
    _refresh_plan_access(subscription, event_id=event_id)


@transaction.atomic
def do_cancel_payment(payment: Payment, *, event_id: str) -> Payment:
    """The checkout session was closed before its time (the learner cancelled): nothing was paid."""
    return _move(payment, PaymentStatus.CANCELLED, allowed_from=(PaymentStatus.PENDING,), event_id=event_id)


@transaction.atomic
def do_expire_payment(payment: Payment, *, event_id: str) -> Payment:
    """The checkout session reached its deadline unpaid (an abandoned checkout): nothing was paid."""
    return _move(payment, PaymentStatus.EXPIRED, allowed_from=(PaymentStatus.PENDING,), event_id=event_id)


@transaction.atomic
def do_fail_payment(payment: Payment, *, event_id: str, reason: str) -> Payment:
    """The provider could not take the money (a delayed payment method failed, a renewal was declined)."""
    allowed_from = (PaymentStatus.PENDING, PaymentStatus.CANCELLED)
    return _move(payment, PaymentStatus.FAILED, allowed_from=allowed_from, event_id=event_id, reason=reason)


def _move(payment: Payment, status: PaymentStatus, *, allowed_from: tuple[str, ...], **metadata: Any) -> Payment:
    """Move ``payment`` to ``status`` if it is in one of ``allowed_from``, with its audit event."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status not in allowed_from:
        return payment
    payment.status = status
    payment.save(update_fields=["status", "updated_at"])
    _audit(f"payment.{status.lower()}", payment, subject=payment.user, **metadata)
    _count(status)
    return payment


@transaction.atomic
def do_refund_payment(payment: Payment, *, event_id: str) -> Payment:
    """The provider refunded ``payment`` in full: record it and take back what it bought."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != PaymentStatus.SUCCEEDED:
        return payment
    payment.status = PaymentStatus.REFUNDED
    payment.refunded_at = timezone.now()
    payment.save(update_fields=["status", "refunded_at", "updated_at"])
    _audit("payment.refunded", payment, subject=payment.user, event_id=event_id,
           amount_cents=payment.amount_cents, currency=payment.currency)  # fmt: skip
    do_record_event(
        EventKind.PAYMENT_REFUNDED,
        user=payment.user,
        course=payment.course,
        value=payment.amount_cents,
        properties={"payment_id": str(payment.id), "product": payment.product, "currency": payment.currency},
    )
    _count(PaymentStatus.REFUNDED)
    now = timezone.now()
    if payment.product == Product.COURSE:
        for entitlement in Entitlement.objects.filter(
            user=payment.user, kind=EntitlementKind.COURSE, course=payment.course, revoked_at=None
        ):
            entitlement.revoked_at = now
            entitlement.save(update_fields=["revoked_at", "updated_at"])
            _audit("entitlement.revoked", entitlement, subject=payment.user, event_id=event_id,
                   reason="refund", payment_id=str(payment.id))  # fmt: skip
    else:
        # A refunded plan payment gives back the period it paid for: plan access ends now.
        subscription = Subscription.objects.filter(provider_subscription_id=payment.provider_subscription_id).first()
        if subscription is not None:
            _end_plan_access(subscription, at=now, event_id=event_id, reason="refund")
    return payment


@transaction.atomic
def do_record_invoice_paid(
    subscription: Subscription,
    *,
    event_id: str,
    invoice_id: str,
    amount_cents: int,
    currency: str,
    period_end: datetime | None,
    first: bool,
) -> Payment | None:
    """A plan invoice was paid: the first one (part of the checkout) or a renewal (a new payment)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    payment = Payment.objects.filter(provider_invoice_id=invoice_id).first()
    if payment is None and first:
        payment = (
            Payment.objects.filter(
                provider_subscription_id=subscription.provider_subscription_id, provider_invoice_id=None
            )
            .order_by("created_at")
            .first()
        )
    if payment is None:
        payment = Payment.objects.create(
            user=subscription.user,
            product=Product.PLAN,
            plan=subscription.plan,
            amount_cents=amount_cents,
            currency=currency,
            provider=subscription.provider,
            provider_subscription_id=subscription.provider_subscription_id,
            provider_invoice_id=invoice_id,
        )
        _audit("payment.created", payment, subject=subscription.user, event_id=event_id,
               product=Product.PLAN, reason="renewal", amount_cents=amount_cents)  # fmt: skip
    if subscription.status != SubscriptionStatus.CANCELLED:
        previous_end = subscription.current_period_end
        subscription.status = SubscriptionStatus.ACTIVE
        if period_end is not None:
            subscription.current_period_end = period_end
        subscription.save(update_fields=["status", "current_period_end", "updated_at"])
        if not first:
            _audit("subscription.renewed", subscription, subject=subscription.user, event_id=event_id,
                   previous_period_end=previous_end.isoformat(),
                   current_period_end=subscription.current_period_end.isoformat())  # fmt: skip
    payment = do_complete_payment(payment, event_id=event_id, amount_cents=amount_cents, provider_invoice_id=invoice_id)
    _refresh_plan_access(subscription, event_id=event_id)
    return payment


@transaction.atomic
def do_record_invoice_failed(
    subscription: Subscription, *, event_id: str, invoice_id: str, amount_cents: int, currency: str
) -> Payment:
    """A renewal payment was declined: the plan is past due and premium access pauses until it is paid."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    payment, created = Payment.objects.get_or_create(
        provider_invoice_id=invoice_id,
        defaults={
            "user": subscription.user,
            "product": Product.PLAN,
            "plan": subscription.plan,
            "amount_cents": amount_cents,
            "currency": currency,
            "provider": subscription.provider,
            "provider_subscription_id": subscription.provider_subscription_id,
        },
    )
    if created:
        _audit("payment.created", payment, subject=subscription.user, event_id=event_id,
               product=Product.PLAN, reason="renewal", amount_cents=amount_cents)  # fmt: skip
    payment = do_fail_payment(payment, event_id=event_id, reason="renewal_declined")
    if subscription.status == SubscriptionStatus.ACTIVE:
        subscription.status = SubscriptionStatus.PAST_DUE
        subscription.save(update_fields=["status", "updated_at"])
        _audit("subscription.past_due", subscription, subject=subscription.user, event_id=event_id,
               invoice_id=invoice_id)  # fmt: skip
        _notify(
            subscription.user,
            "payment_failed",
            "Your premium plan payment failed",
            "We could not renew your premium plan, so premium access is paused. It comes back as soon as "
            "the payment goes through.",
        )
    _refresh_plan_access(subscription, event_id=event_id)
    return payment


@transaction.atomic
def do_link_payment_to_invoice(invoice_id: str, provider_payment_id: str) -> Payment | None:
    """Remember which provider payment paid an invoice, so that its refund finds our payment."""
    payment = Payment.objects.select_for_update().filter(provider_invoice_id=invoice_id).first()
    if payment is not None and not payment.provider_payment_id:
        payment.provider_payment_id = provider_payment_id
        payment.save(update_fields=["provider_payment_id", "updated_at"])
    return payment


@transaction.atomic
def do_update_subscription(
    subscription: Subscription,
    *,
    event_id: str,
    status: SubscriptionStatus | None,
    current_period_end: datetime | None,
    cancel_at_period_end: bool | None,
) -> Subscription:
    """Mirror the provider's view of a plan (status, period, whether it ends at the period's end)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status == SubscriptionStatus.CANCELLED:
        return subscription  # an ended subscription never comes back; a late event changes nothing
    if status == SubscriptionStatus.CANCELLED:
        return _end_subscription(subscription, event_id=event_id)
    before = (subscription.status, subscription.current_period_end, subscription.cancel_at_period_end)
    if status is not None:
        subscription.status = status
    if current_period_end is not None:
        subscription.current_period_end = current_period_end
    if cancel_at_period_end is not None:
        subscription.cancel_at_period_end = cancel_at_period_end
    after = (subscription.status, subscription.current_period_end, subscription.cancel_at_period_end)
    if after == before:
        return subscription
    subscription.save(update_fields=["status", "current_period_end", "cancel_at_period_end", "updated_at"])
    action = "subscription.updated"
    if subscription.cancel_at_period_end and not before[2]:
        action = "subscription.cancel_scheduled"
    elif before[2] and not subscription.cancel_at_period_end:
        action = "subscription.cancel_withdrawn"
    _audit(action, subscription, subject=subscription.user, event_id=event_id,
           status=subscription.status, previous_status=before[0],
           current_period_end=subscription.current_period_end.isoformat(),
           cancel_at_period_end=subscription.cancel_at_period_end)  # fmt: skip
    _refresh_plan_access(subscription, event_id=event_id)
    return subscription


@transaction.atomic
def do_end_subscription(subscription: Subscription, *, event_id: str) -> Subscription:
    """The plan is over (cancelled now, or at the end of its period): premium access ends."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status == SubscriptionStatus.CANCELLED:
        return subscription
    return _end_subscription(subscription, event_id=event_id)


def _end_subscription(subscription: Subscription, *, event_id: str) -> Subscription:
    now = timezone.now()
    previous = subscription.status
    subscription.status = SubscriptionStatus.CANCELLED
    subscription.cancelled_at = now
    subscription.save(update_fields=["status", "cancelled_at", "updated_at"])
    _audit("subscription.cancelled", subscription, subject=subscription.user, event_id=event_id,
           previous_status=previous)  # fmt: skip
    _end_plan_access(subscription, at=now, event_id=event_id, reason="plan_ended")
    _notify(
        subscription.user,
        "plan_ended",
        "Your premium plan has ended",
        "Thank you for learning with premium. You can take up the plan again at any time.",
    )
    return subscription


# --- Plan access and the PREMIUM role -----------------------------------------------------------


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


def _refresh_plan_access(subscription: Subscription, *, event_id: str) -> None:
    """Make the plan's entitlement and the learner's role agree with the subscription."""
    until = _plan_access_until(subscription)
    now = timezone.now()
    if until is None:
        _end_plan_access(subscription, at=now, event_id=event_id, reason=subscription.status.lower())
        return
    entitlement = Entitlement.objects.filter(kind=EntitlementKind.PLAN, subscription=subscription).first()
    if entitlement is None:
        entitlement = Entitlement.objects.create(
            user=subscription.user, kind=EntitlementKind.PLAN, subscription=subscription, starts_at=now, ends_at=until
        )
        _audit("entitlement.granted", entitlement, subject=subscription.user, event_id=event_id,
               kind=EntitlementKind.PLAN, ends_at=until.isoformat())  # fmt: skip
    elif entitlement.ends_at != until:
        previous = entitlement.ends_at
        entitlement.ends_at = until
        entitlement.save(update_fields=["ends_at", "updated_at"])
        _audit("entitlement.extended" if previous is None or until > previous else "entitlement.shortened",
               entitlement, subject=subscription.user, event_id=event_id,
               previous_ends_at=previous.isoformat() if previous else None, ends_at=until.isoformat())  # fmt: skip
    _sync_premium_role(subscription.user, reason=event_id)


def _end_plan_access(subscription: Subscription, *, at: datetime, event_id: str, reason: str) -> None:
    entitlement = Entitlement.objects.filter(kind=EntitlementKind.PLAN, subscription=subscription).first()
    if entitlement is not None and (entitlement.ends_at is None or entitlement.ends_at > at):
        entitlement.ends_at = at
        entitlement.save(update_fields=["ends_at", "updated_at"])
        _audit("entitlement.ended", entitlement, subject=subscription.user, event_id=event_id, reason=reason)
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


def _notify(user: User, kind: str, title: str, body: str) -> None:
    Notification.objects.create(user=user, kind=kind, title=title, body=body, url=reverse("billing:payment_history"))


# --- Asking the provider ------------------------------------------------------------------------


def do_request_plan_cancellation(user: User, subscription: Subscription, *, request: HttpRequest | None = None) -> None:
    """The learner cancels their plan: it ends with the paid period (at once when a payment failed)."""
    if subscription.user_id != user.pk:
        raise Problem(404, "not_found", "No such plan.")
    if subscription.status == SubscriptionStatus.CANCELLED:
        raise Conflict("subscription_ended", "This plan has already ended.")
    if subscription.cancel_at_period_end:
        raise Conflict("already_cancelled", "This plan is already cancelled; it ends with the current period.")
    at_period_end = subscription.status == SubscriptionStatus.ACTIVE
    providers.get(subscription.provider).cancel_subscription(subscription, at_period_end=at_period_end)
    _audit("subscription.cancel_requested", subscription, subject=user, actor=user, request=request,
           at_period_end=at_period_end)  # fmt: skip


def do_request_subscription_end(admin: User, subscription: Subscription, *, request: HttpRequest | None = None) -> None:
    """An admin ends a plan now (its access ends when the provider confirms)."""
    if subscription.status == SubscriptionStatus.CANCELLED:
        raise Conflict("subscription_ended", "This plan has already ended.")
    providers.get(subscription.provider).cancel_subscription(subscription, at_period_end=False)
    _audit("subscription.end_requested", subscription, subject=subscription.user, actor=admin, request=request)


def do_request_refund(admin: User, payment: Payment, *, request: HttpRequest | None = None) -> None:
    """An admin refunds a payment in full (it is marked refunded when the provider confirms)."""
    if payment.status != PaymentStatus.SUCCEEDED:
        raise Conflict("not_refundable", "Only a completed payment can be refunded.")
    if not payment.provider_payment_id:
        raise Conflict("not_refundable", "The provider has not told us which charge paid this yet; try again soon.")
    providers.get(payment.provider).refund(payment)
    _audit("payment.refund_requested", payment, subject=payment.user, actor=admin, request=request,
           amount_cents=payment.amount_cents)  # fmt: skip
