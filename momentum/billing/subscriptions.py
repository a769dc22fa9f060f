"""Plans: what the provider's invoice and subscription events say about a learner's plan.

Asking the provider to end a plan lives in ``billing.provider_requests``.

A plan's invoice paid is a payment (its first, part of the checkout, or a renewal); a declined
renewal makes the plan past due and pauses premium access until it is paid; the provider's view
of the subscription (status, period, ending at the period's end) is mirrored here. Plan access and
the learner's role follow each change (``billing.entitlements``).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from momentum.accounts.actions import do_notify
from momentum.accounts.models import User
from momentum.billing import entitlements, payments
from momentum.billing.audit_actions import AuditAction
from momentum.billing.bookkeeping import audit
from momentum.billing.models import Payment, Product, Subscription, SubscriptionStatus


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
        audit(AuditAction.PAYMENT_CREATED, payment, subject=subscription.user, event_id=event_id,
              product=Product.PLAN, reason="renewal", amount_cents=amount_cents)  # fmt: skip
    if subscription.status != SubscriptionStatus.CANCELLED:
        previous_end = subscription.current_period_end
        subscription.status = SubscriptionStatus.ACTIVE
        if period_end is not None:
            subscription.current_period_end = period_end
        subscription.save(update_fields=["status", "current_period_end", "updated_at"])
        if not first:
            audit(AuditAction.SUBSCRIPTION_RENEWED, subscription, subject=subscription.user, event_id=event_id,
                  previous_period_end=previous_end.isoformat(),
                  current_period_end=subscription.current_period_end.isoformat())  # fmt: skip
    payment = payments.do_complete_payment(
        payment, event_id=event_id, amount_cents=amount_cents, provider_invoice_id=invoice_id
    )
    entitlements.refresh_plan_access(subscription, event_id=event_id)
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
        audit(AuditAction.PAYMENT_CREATED, payment, subject=subscription.user, event_id=event_id,
              product=Product.PLAN, reason="renewal", amount_cents=amount_cents)  # fmt: skip
    payment = payments.do_fail_payment(payment, event_id=event_id, reason="renewal_declined")
    if subscription.status == SubscriptionStatus.ACTIVE:
        subscription.status = SubscriptionStatus.PAST_DUE
        subscription.save(update_fields=["status", "updated_at"])
        audit(AuditAction.SUBSCRIPTION_PAST_DUE, subscription, subject=subscription.user, event_id=event_id,
              invoice_id=invoice_id)  # fmt: skip
        _notify(
            subscription.user,
            "payment_failed",
            gettext_lazy("Your premium plan payment failed"),
            gettext_lazy(
                "We could not renew your premium plan, so premium access is paused. It comes back as soon as "
                "the payment goes through."
            ),
        )
    entitlements.refresh_plan_access(subscription, event_id=event_id)
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
    action = AuditAction.SUBSCRIPTION_UPDATED
    if subscription.cancel_at_period_end and not before[2]:
        action = AuditAction.SUBSCRIPTION_CANCEL_SCHEDULED
    elif before[2] and not subscription.cancel_at_period_end:
        action = AuditAction.SUBSCRIPTION_CANCEL_WITHDRAWN
    audit(action, subscription, subject=subscription.user, event_id=event_id,
          status=subscription.status, previous_status=before[0],
          current_period_end=subscription.current_period_end.isoformat(),
          cancel_at_period_end=subscription.cancel_at_period_end)  # fmt: skip
    entitlements.refresh_plan_access(subscription, event_id=event_id)
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
    audit(AuditAction.SUBSCRIPTION_CANCELLED, subscription, subject=subscription.user, event_id=event_id,
          previous_status=previous)  # fmt: skip
    entitlements.end_plan_access(subscription, at=now, event_id=event_id, reason="plan_ended")
    _notify(
        subscription.user,
        "plan_ended",
        gettext_lazy("Your premium plan has ended"),
        gettext_lazy("Thank you for learning with premium. You can take up the plan again at any time."),
    )
    return subscription


def _notify(user: User, kind: str, title: str | Promise, body: str | Promise) -> None:
    """A notice in the learner's language (theirs once accounts stores one, else the active one)."""
    with translation.override(getattr(user, "language", "") or translation.get_language()):
        title, body = str(title), str(body)
    do_notify(user, kind=kind, title=title, body=body, url=reverse("billing:payment_history"))
