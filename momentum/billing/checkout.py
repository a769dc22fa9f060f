"""Starting a checkout: who may buy what, then a PENDING payment and the provider's session for it.

Nothing is granted here: the provider's signed event does that once the learner has paid
(``billing.webhooks`` → ``billing.payments``). A checkout the provider could not open fails at once.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from momentum.accounts.models import User
from momentum.billing import payments, providers
from momentum.billing.audit_actions import AuditAction
from momentum.billing.bookkeeping import audit, count_payment
from momentum.billing.models import Payment, PaymentStatus, Subscription, SubscriptionStatus
from momentum.billing.products import Offer
from momentum.billing.queries import has_premium_access
from momentum.lib.problems import Conflict, Problem


def refuse_purchase(user: User, offer: Offer) -> None:
    """Raise the Problem that stops ``user`` from buying ``offer``, if any."""
    if offer.course is not None:
        if not offer.course.is_premium or offer.course.price_cents <= 0:
            raise Conflict("not_for_sale", _("This course is free: enrol without paying."))
        if not offer.course.is_published:
            raise Conflict("not_for_sale", _("This course is not published."))
        if has_premium_access(user, offer.course):
            raise Conflict("already_entitled", _("You already have access to this course."))
        return
    if Subscription.objects.filter(
        user=user, status__in=(SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)
    ).exists():
        raise Conflict("already_subscribed", _("You already have a premium plan; manage it under Payments."))
    if user.is_premium:
        raise Conflict("already_entitled", _("You already have premium access."))


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
        audit(
            AuditAction.PAYMENT_CREATED, payment, subject=user, actor=user, request=request,
            product=offer.product, amount_cents=offer.amount_cents, currency=offer.currency, provider=provider.name,
        )  # fmt: skip
        count_payment(PaymentStatus.PENDING)
    checkout = providers.CheckoutRequest(
        payment_id=str(payment.id),
        user_id=str(payment.user_id),
        name=offer.name,
        amount_cents=offer.amount_cents,
        currency=offer.currency,
        recurring=offer.recurring,
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
    payments.move(payment, PaymentStatus.FAILED, reason=reason, stage="checkout")
