"""Asking the payment provider: refunds, ending plans, and what the sandbox's TEST MODE pages do.

A provider only answers with events: Stripe's come later over HTTP to the webhook, the
sandbox's come back at once and are handed here to ``billing.webhooks.receive``, the same code
that applies Stripe's (providers import no models and no app, so the call goes this way round).
Our records reach a provider as ``PaymentInfo`` / ``SubscriptionInfo``.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from momentum.accounts.models import User
from momentum.billing import providers, webhooks
from momentum.billing.audit_actions import AuditAction
from momentum.billing.bookkeeping import audit
from momentum.billing.models import Payment, PaymentStatus, Product, Provider, Subscription, SubscriptionStatus
from momentum.billing.products import one_month_after
from momentum.billing.providers import PaymentInfo, PaymentProvider, SignedEvent, SubscriptionInfo
from momentum.billing.providers.sandbox import SandboxProvider
from momentum.lib.problems import Conflict, Problem

_STRIPE_STATUS = {
    SubscriptionStatus.ACTIVE: "active",
    SubscriptionStatus.PAST_DUE: "past_due",
    SubscriptionStatus.CANCELLED: "canceled",
}


def payment_info(payment: Payment) -> PaymentInfo:
    return PaymentInfo(
        id=str(payment.id),
        user_id=str(payment.user_id),
        customer_email=payment.user.email,
        recurring=payment.product == Product.PLAN,
        amount_cents=payment.amount_cents,
        currency=payment.currency,
        created_at=payment.created_at,
        provider_session_id=payment.provider_session_id,
        provider_payment_id=payment.provider_payment_id,
    )


def subscription_info(subscription: Subscription) -> SubscriptionInfo:
    return SubscriptionInfo(
        provider_subscription_id=subscription.provider_subscription_id,
        user_id=str(subscription.user_id),
        customer_email=subscription.user.email,
        status=_STRIPE_STATUS[SubscriptionStatus(subscription.status)],
        current_period_end=subscription.current_period_end,
        cancel_at_period_end=subscription.cancel_at_period_end,
    )


def _deliver(provider: PaymentProvider, events: list[SignedEvent]) -> None:
    """Apply, in order, the events a provider answered with at once."""
    for event in events:
        webhooks.receive(provider, event.payload, event.signature)


# --- Refunds and ending plans -----------------------------------------------------------------


def do_request_plan_cancellation(user: User, subscription: Subscription, *, request: HttpRequest | None = None) -> None:
    """The learner cancels their plan: it ends with the paid period (at once when a payment failed)."""
    if subscription.user_id != user.pk:
        raise Problem(404, "not_found", _("No such plan."))
    if subscription.status == SubscriptionStatus.CANCELLED:
        raise Conflict("subscription_ended", _("This plan has already ended."))
    if subscription.cancel_at_period_end:
        raise Conflict("already_cancelled", _("This plan is already cancelled; it ends with the current period."))
    at_period_end = subscription.status == SubscriptionStatus.ACTIVE
    provider = providers.get(subscription.provider)
    _deliver(provider, provider.cancel_subscription(subscription_info(subscription), at_period_end=at_period_end))
    audit(AuditAction.SUBSCRIPTION_CANCEL_REQUESTED, subscription, subject=user, actor=user, request=request,
          at_period_end=at_period_end)  # fmt: skip


def do_request_subscription_end(admin: User, subscription: Subscription, *, request: HttpRequest | None = None) -> None:
    """An admin ends a plan now (its access ends when the provider confirms)."""
    if subscription.status == SubscriptionStatus.CANCELLED:
        raise Conflict("subscription_ended", _("This plan has already ended."))
    provider = providers.get(subscription.provider)
    _deliver(provider, provider.cancel_subscription(subscription_info(subscription), at_period_end=False))
    audit(AuditAction.SUBSCRIPTION_END_REQUESTED, subscription, subject=subscription.user, actor=admin, request=request)


def do_request_refund(admin: User, payment: Payment, *, request: HttpRequest | None = None) -> None:
    """An admin refunds a payment in full (it is marked refunded when the provider confirms)."""
    if payment.status != PaymentStatus.SUCCEEDED:
        raise Conflict("not_refundable", _("Only a completed payment can be refunded."))
    if not payment.provider_payment_id:
        raise Conflict("not_refundable", _("The provider has not told us which charge paid this yet; try again soon."))
    provider = providers.get(payment.provider)
    _deliver(provider, provider.refund(payment_info(payment)))
    audit(AuditAction.PAYMENT_REFUND_REQUESTED, payment, subject=payment.user, actor=admin, request=request,
          amount_cents=payment.amount_cents)  # fmt: skip


# --- The sandbox's TEST MODE pages ------------------------------------------------------------


def _require_open(sandbox: SandboxProvider, payment: Payment) -> None:
    sandbox.ensure_available()
    if payment.provider != Provider.SANDBOX or payment.status != PaymentStatus.PENDING:
        raise Conflict("checkout_closed", _("This checkout is no longer open."))


def do_sandbox_complete_checkout(payment: Payment) -> None:
    """The learner pressed "Pay" on the sandbox page: the session completes and is paid."""
    sandbox = SandboxProvider()
    _require_open(sandbox, payment)
    _deliver(sandbox, sandbox.complete_checkout(payment_info(payment)))


def do_sandbox_expire_checkout(payment: Payment) -> None:
    """The learner cancelled on the sandbox page, or left it open past its deadline (housekeeping)."""
    sandbox = SandboxProvider()
    _require_open(sandbox, payment)
    _deliver(sandbox, sandbox.expire_checkout(payment_info(payment)))


def do_sandbox_renew(subscription: Subscription, *, succeed: bool) -> None:
    """The plan's period ends and the sandbox charges for the next one (or fails to)."""
    if subscription.status == SubscriptionStatus.CANCELLED:
        raise Conflict("subscription_ended", _("This plan has already ended."))
    if subscription.cancel_at_period_end:
        raise Conflict("renewal_cancelled", _("This plan is cancelled at the end of its period; it will not renew."))
    # A retry after a failure pays the invoice that failed; otherwise a new invoice.
    failed = (
        Payment.objects.filter(
            provider_subscription_id=subscription.provider_subscription_id, status=PaymentStatus.FAILED
        )
        .exclude(provider_invoice_id=None)
        .order_by("-created_at")
        .first()
    )
    retrying = subscription.status == SubscriptionStatus.PAST_DUE and failed is not None
    invoice_id = failed.provider_invoice_id if retrying and failed else None
    sandbox = SandboxProvider()
    period_end = one_month_after(subscription.current_period_end)
    _deliver(
        sandbox,
        sandbox.renew(subscription_info(subscription), succeed=succeed, invoice_id=invoice_id, period_end=period_end),
    )


def do_sandbox_end_period(subscription: Subscription) -> None:
    """The period of a plan cancelled at its end is over: the subscription ends."""
    if not subscription.cancel_at_period_end or subscription.status == SubscriptionStatus.CANCELLED:
        raise Conflict("not_ending", _("Only a plan cancelled at the end of its period can reach its end here."))
    sandbox = SandboxProvider()
    _deliver(sandbox, sandbox.end_period(subscription_info(subscription)))
