"""The payment state machine: every change of ``Payment.status`` goes through ``TRANSITIONS``.

A payment starts PENDING (checkout opened) and ends SUCCEEDED, FAILED, CANCELLED, EXPIRED or
REFUNDED as the provider's signed events say. Providers repeat events and deliver them late, so
the actions that apply an event leave a payment alone when the table does not allow the move
(a late "expired" after "paid" changes nothing); ``transition`` itself refuses a move the table
does not list with ``InvalidTransition``, so no code path can skip the table.

A succeeded or refunded payment also records the learning event (value in cents) and the
business metrics that analytics and /metrics read; a succeeded one sends its receipt by email
once the change has committed, and grants what it buys (``billing.entitlements``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from momentum.analytics.actions import do_record_event
from momentum.analytics.models import EventKind
from momentum.billing import entitlements, receipts
from momentum.billing.audit_actions import AuditAction
from momentum.billing.bookkeeping import audit, count_payment, count_revenue
from momentum.billing.models import Payment, PaymentStatus, Product

_S = PaymentStatus

# Where a payment may go from each status. A payment that failed, was cancelled or expired can
# still succeed (a delayed payment method or a retried invoice pays after all); only a
# succeeded payment can be refunded; a refund is final.
TRANSITIONS: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    _S.PENDING: frozenset({_S.SUCCEEDED, _S.FAILED, _S.CANCELLED, _S.EXPIRED}),
    _S.CANCELLED: frozenset({_S.SUCCEEDED, _S.FAILED}),
    _S.FAILED: frozenset({_S.SUCCEEDED}),
    _S.EXPIRED: frozenset({_S.SUCCEEDED}),
    _S.SUCCEEDED: frozenset({_S.REFUNDED}),
    _S.REFUNDED: frozenset(),
}


class InvalidTransition(Exception):
    """A move of a payment's status that ``TRANSITIONS`` does not list (a bug, never input)."""

    def __init__(self, payment: Payment, status: PaymentStatus) -> None:
        super().__init__(f"payment {payment.pk} cannot go from {payment.status} to {status}")
        self.current = PaymentStatus(payment.status)
        self.target = status


# The audit action of each move (a payment is created PENDING: ``AuditAction.PAYMENT_CREATED``).
PAYMENT_AUDIT = {
    PaymentStatus.SUCCEEDED: AuditAction.PAYMENT_SUCCEEDED,
    PaymentStatus.FAILED: AuditAction.PAYMENT_FAILED,
    PaymentStatus.CANCELLED: AuditAction.PAYMENT_CANCELLED,
    PaymentStatus.EXPIRED: AuditAction.PAYMENT_EXPIRED,
    PaymentStatus.REFUNDED: AuditAction.PAYMENT_REFUNDED,
}


def allows(current: str, status: PaymentStatus) -> bool:
    """Whether ``TRANSITIONS`` lets a payment in ``current`` move to ``status``."""
    return status in TRANSITIONS[PaymentStatus(current)]


def transition(payment: Payment, status: PaymentStatus, *, fields: list[str] | None, **metadata: Any) -> None:
    """Move ``payment`` (locked by the caller) to ``status`` and save it (``fields`` besides the
    status, or every field when None), with its audit event and counter. A move the table does
    not list raises ``InvalidTransition``."""
    if not allows(payment.status, status):
        raise InvalidTransition(payment, status)
    payment.status = status
    payment.save(update_fields=None if fields is None else ["status", *fields, "updated_at"])
    audit(PAYMENT_AUDIT[status], payment, subject=payment.user, **metadata)
    count_payment(status)


def move(payment: Payment, status: PaymentStatus, **metadata: Any) -> Payment:
    """Move ``payment`` to ``status`` when the table allows it (a late or repeated event does nothing)."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if allows(payment.status, status):
        transition(payment, status, fields=[], **metadata)
    return payment


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
    if not allows(payment.status, PaymentStatus.SUCCEEDED):
        payment.save()
        return payment
    previous = payment.status
    if amount_cents is not None:
        payment.amount_cents = amount_cents
    payment.paid_at = timezone.now()
    transition(
        payment, PaymentStatus.SUCCEEDED, fields=None,
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
    count_revenue(payment.currency, payment.amount_cents)
    if payment.product == Product.COURSE:
        entitlements.grant_course(payment, event_id=event_id)
    elif payment.provider_subscription_id:
        entitlements.start_plan(payment, event_id=event_id)
    payment_id = payment.pk
    transaction.on_commit(lambda: receipts.send_receipt(payment_id))
    return payment


@transaction.atomic
def do_cancel_payment(payment: Payment, *, event_id: str) -> Payment:
    """The checkout session was closed before its time (the learner cancelled): nothing was paid."""
    return move(payment, PaymentStatus.CANCELLED, event_id=event_id)


@transaction.atomic
def do_expire_payment(payment: Payment, *, event_id: str) -> Payment:
    """The checkout session reached its deadline unpaid (an abandoned checkout): nothing was paid."""
    return move(payment, PaymentStatus.EXPIRED, event_id=event_id)


@transaction.atomic
def do_fail_payment(payment: Payment, *, event_id: str, reason: str) -> Payment:
    """The provider could not take the money (a delayed payment method failed, a renewal was declined)."""
    return move(payment, PaymentStatus.FAILED, event_id=event_id, reason=reason)


@transaction.atomic
def do_refund_payment(payment: Payment, *, event_id: str) -> Payment:
    """The provider refunded ``payment`` in full: record it and take back what it bought."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if not allows(payment.status, PaymentStatus.REFUNDED):
        return payment
    payment.refunded_at = timezone.now()
    transition(
        payment, PaymentStatus.REFUNDED, fields=["refunded_at"],
        event_id=event_id, amount_cents=payment.amount_cents, currency=payment.currency,
    )  # fmt: skip
    do_record_event(
        EventKind.PAYMENT_REFUNDED,
        user=payment.user,
        course=payment.course,
        value=payment.amount_cents,
        properties={"payment_id": str(payment.id), "product": payment.product, "currency": payment.currency},
    )
    entitlements.take_back(payment, at=timezone.now(), event_id=event_id)
    return payment
