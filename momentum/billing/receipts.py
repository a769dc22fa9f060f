"""Receipts by email: one for each completed payment (a course, the plan's start, a renewal).

``do_complete_payment`` asks for it after its transaction commits; a payment completes once,
so a replayed or repeated provider event never sends a second receipt.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from momentum.billing.models import Payment, PaymentStatus, Product, Subscription
from momentum.billing.products import plan_offer
from momentum.sitesettings.site_mail import send_site_mail, site_context


def _kind(payment: Payment) -> str:
    if payment.product == Product.COURSE:
        return "course"
    earlier = (
        Payment.objects.filter(
            provider_subscription_id=payment.provider_subscription_id,
            status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED),
            paid_at__lt=payment.paid_at,
        )
        .exclude(pk=payment.pk)
        .exists()
    )
    return "plan_renewal" if earlier else "plan_start"


def send_receipt(payment_id: Any) -> bool:
    payment = Payment.objects.select_related("user", "course").filter(pk=payment_id).first()
    if payment is None or payment.status != PaymentStatus.SUCCEEDED:
        return False
    kind = _kind(payment)
    site_url = site_context()["site_url"]
    subscription = (
        Subscription.objects.filter(provider_subscription_id=payment.provider_subscription_id).first()
        if payment.product == Product.PLAN
        else None
    )
    item = payment.course.title if payment.course else plan_offer().name
    subjects = {
        "course": gettext_lazy("Your receipt for %(item)s"),
        "plan_start": gettext_lazy("Your %(item)s plan has started"),
        "plan_renewal": gettext_lazy("Your receipt: %(item)s renewed"),
    }
    context = {
        "payment": payment,
        "kind": kind,
        "item": item,
        "subscription": subscription,
        "course_url": site_url + reverse("catalog:detail", args=[payment.course.slug]) if payment.course else "",
        "payments_url": site_url + reverse("billing:payment_history"),
    }
    # In the buyer's language once accounts stores one (issue 18), else the active one.
    with translation.override(getattr(payment.user, "language", "") or translation.get_language()):
        subject = str(subjects[kind]) % {"item": item}
        return send_site_mail(
            to=payment.user.email,
            subject=subject,
            template="billing/email/receipt.txt",
            context=context,
            kind="receipt",
        )
