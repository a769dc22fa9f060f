"""Provider webhooks: verify, record once, apply. The one way payments change state.

``receive`` is what POST /api/v1/payments/webhook calls with the raw body and signature header,
and what the sandbox calls with the events it signs. An event is verified (signature and
timestamp tolerance), recorded once per provider and event id, and applied in the same
transaction; a replay of an event already applied changes nothing. If applying fails, the
transaction rolls back, the failure is noted on the event for the studio, and the provider's
redelivery applies it again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from momentum.billing import events, payments, subscriptions
from momentum.billing.models import Payment, PaymentStatus, Provider, Subscription, WebhookEvent
from momentum.billing.providers import PaymentProvider
from momentum.billing.providers.signing import verify
from momentum.lib.logs import get_logger

log = get_logger("momentum.billing.webhooks")

# Clocks differ a little: a session expired this close to its deadline counts as expired on time.
EXPIRY_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class Receipt:
    event_id: str
    type: str
    duplicate: bool
    outcome: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def receive(provider: PaymentProvider, payload: bytes, signature: str | None) -> Receipt:
    event = verify(
        payload, signature, provider.webhook_secret, tolerance_seconds=settings.PAYMENTS_WEBHOOK_TOLERANCE_SECONDS
    )
    event_id, event_type = event["id"][:255], event["type"][:100]
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    WebhookEvent.objects.create(
                        provider=provider.name, event_id=event_id, type=event_type, payload=event
                    )
            except IntegrityError:
                pass  # seen before: applied already, or failed and now redelivered
            record = WebhookEvent.objects.select_for_update().get(provider=provider.name, event_id=event_id)
            if record.processed_at is not None:
                log.info("webhook_replayed", provider=provider.name, event_id=event_id, type=event_type)
                return Receipt(event_id, event_type, duplicate=True, outcome="already processed")
            outcome = apply(Provider(provider.name), event)
            record.processed_at = timezone.now()
            record.error = ""
            record.save(update_fields=["processed_at", "error"])
    except Exception as error:
        _note_failure(provider.name, event, error)
        raise
    log.info("webhook_applied", provider=provider.name, event_id=event_id, type=event_type, outcome=outcome)
    return Receipt(event_id, event_type, duplicate=False, outcome=outcome)


def _note_failure(provider: str, event: dict[str, Any], error: Exception) -> None:
    log.exception("webhook_failed", provider=provider, event_id=event["id"], type=event["type"])
    WebhookEvent.objects.update_or_create(
        provider=provider,
        event_id=event["id"][:255],
        defaults={"type": event["type"][:100], "payload": event, "error": f"{type(error).__name__}: {error}"[:2000]},
    )


def apply(provider: Provider, event: dict[str, Any]) -> str:
    """Change what ``event`` says changed; returns a short note of what was done."""
    handler = HANDLERS.get(event["type"])
    if handler is None:
        return "ignored: not an event Momentum acts on"
    return handler(provider, event["id"], event["data"]["object"])


# --- Checkout sessions ------------------------------------------------------------------------------


def _payment_for_session(provider: Provider, session: dict[str, Any]) -> Payment | None:
    payment = Payment.objects.filter(provider=provider, provider_session_id=events.text(session, "id")).first()
    if payment is not None:
        return payment
    try:
        payment_id = uuid.UUID(events.payment_id_of_session(session))
    except ValueError:  # no reference of ours: someone else's checkout on the same account
        return None
    return Payment.objects.filter(provider=provider, pk=payment_id).first()


def _session_completed(provider: Provider, event_id: str, session: dict[str, Any]) -> str:
    payment = _payment_for_session(provider, session)
    if payment is None:
        return "ignored: not a Momentum checkout"
    if events.text(session, "payment_status") not in ("paid", "no_payment_required"):
        return "waiting: the payment is still processing"
    payments.do_complete_payment(
        payment,
        event_id=event_id,
        amount_cents=events.cents(session, "amount_total"),
        provider_payment_id=events.text(session, "payment_intent"),
        provider_subscription_id=events.text(session, "subscription"),
        provider_invoice_id=events.text(session, "invoice"),
    )
    return f"payment {payment.pk} succeeded"


def _session_expired(provider: Provider, event_id: str, session: dict[str, Any]) -> str:
    """A session ends unpaid at its ``expires_at`` (abandoned), or earlier when it is expired
    through the API (the learner cancelled): the same event, told apart by the deadline."""
    payment = _payment_for_session(provider, session)
    if payment is None:
        return "ignored: not a Momentum checkout"
    deadline = events.moment(session, "expires_at")
    if deadline is not None and deadline > timezone.now() + EXPIRY_SLACK:
        payments.do_cancel_payment(payment, event_id=event_id)
        return f"payment {payment.pk} cancelled"
    payments.do_expire_payment(payment, event_id=event_id)
    return f"payment {payment.pk} expired"


def _session_payment_failed(provider: Provider, event_id: str, session: dict[str, Any]) -> str:
    payment = _payment_for_session(provider, session)
    if payment is None:
        return "ignored: not a Momentum checkout"
    payments.do_fail_payment(payment, event_id=event_id, reason="payment_method_failed")
    return f"payment {payment.pk} failed"


# --- Invoices (the plan's payments) ------------------------------------------------------------------


def _subscription(provider: Provider, provider_subscription_id: str) -> Subscription | None:
    if not provider_subscription_id:
        return None
    return Subscription.objects.filter(provider=provider, provider_subscription_id=provider_subscription_id).first()


def _invoice_paid(provider: Provider, event_id: str, invoice: dict[str, Any]) -> str:
    subscription = _subscription(provider, events.subscription_of_invoice(invoice))
    if subscription is None:
        # The first invoice may come before the checkout's completion, which starts the plan.
        return "ignored: no plan of ours for this invoice (yet)"
    amount = events.cents(invoice, "amount_paid")
    payment = subscriptions.do_record_invoice_paid(
        subscription,
        event_id=event_id,
        invoice_id=events.text(invoice, "id"),
        amount_cents=amount if amount is not None else 0,
        currency=events.text(invoice, "currency") or "usd",
        period_end=events.period_end_of_invoice(invoice),
        first=events.text(invoice, "billing_reason") == "subscription_create",
    )
    return f"plan {subscription.pk} paid through payment {payment.pk if payment else '-'}"


def _invoice_failed(provider: Provider, event_id: str, invoice: dict[str, Any]) -> str:
    subscription = _subscription(provider, events.subscription_of_invoice(invoice))
    if subscription is None:
        return "ignored: no plan of ours for this invoice"
    if events.text(invoice, "billing_reason") == "subscription_create":
        return "ignored: the first payment is handled by the checkout"
    amount = events.cents(invoice, "amount_due")
    subscriptions.do_record_invoice_failed(
        subscription,
        event_id=event_id,
        invoice_id=events.text(invoice, "id"),
        amount_cents=amount if amount is not None else 0,
        currency=events.text(invoice, "currency") or "usd",
    )
    return f"plan {subscription.pk} past due"


def _invoice_payment_paid(provider: Provider, event_id: str, invoice_payment: dict[str, Any]) -> str:
    provider_payment_id = events.payment_intent_of_invoice_payment(invoice_payment)
    invoice_id = events.text(invoice_payment, "invoice")
    if not (provider_payment_id and invoice_id):
        return "ignored: no payment reference"
    payment = subscriptions.do_link_payment_to_invoice(invoice_id, provider_payment_id)
    return f"payment {payment.pk} linked" if payment else "ignored: no payment of ours for this invoice"


# --- Subscriptions -----------------------------------------------------------------------------------


def _subscription_updated(provider: Provider, event_id: str, obj: dict[str, Any]) -> str:
    subscription = _subscription(provider, events.text(obj, "id"))
    if subscription is None:
        return "ignored: no plan of ours (yet)"
    ending = events.dig(obj, "cancel_at_period_end")
    subscriptions.do_update_subscription(
        subscription,
        event_id=event_id,
        status=events.subscription_status(obj),
        current_period_end=events.period_end_of_subscription(obj),
        cancel_at_period_end=ending if isinstance(ending, bool) else None,
    )
    return f"plan {subscription.pk} updated"


def _subscription_deleted(provider: Provider, event_id: str, obj: dict[str, Any]) -> str:
    subscription = _subscription(provider, events.text(obj, "id"))
    if subscription is None:
        return "ignored: no plan of ours"
    subscriptions.do_end_subscription(subscription, event_id=event_id)
    return f"plan {subscription.pk} ended"


# --- Refunds -------------------------------------------------------------------------------------------


def _charge_refunded(provider: Provider, event_id: str, charge: dict[str, Any]) -> str:
    references = [ref for ref in (events.text(charge, "payment_intent"), events.text(charge, "id")) if ref]
    payment = (
        Payment.objects.filter(provider=provider, provider_payment_id__in=references)
        .exclude(provider_payment_id="")
        .first()
        if references
        else None
    )
    if payment is None:
        return "ignored: no payment of ours for this charge"
    if events.dig(charge, "refunded") is not True:
        # Partial refunds are recorded in the provider only; our payment stays paid.
        log.warning("partial_refund_not_recorded", payment_id=str(payment.pk), event_id=event_id)
        return f"payment {payment.pk} partially refunded: not recorded"
    if payment.status != PaymentStatus.SUCCEEDED:
        return f"ignored: payment {payment.pk} is {payment.status}"
    payments.do_refund_payment(payment, event_id=event_id)
    return f"payment {payment.pk} refunded"


Handler = Callable[[Provider, str, dict[str, Any]], str]

HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": _session_completed,
    "checkout.session.async_payment_succeeded": _session_completed,
    "checkout.session.async_payment_failed": _session_payment_failed,
    "checkout.session.expired": _session_expired,
    "invoice.paid": _invoice_paid,
    "invoice.payment_failed": _invoice_failed,
    "invoice_payment.paid": _invoice_payment_paid,
    "customer.subscription.updated": _subscription_updated,
    "customer.subscription.deleted": _subscription_deleted,
    "charge.refunded": _charge_refunded,
}
