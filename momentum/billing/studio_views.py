"""The studio's payments page: every payment, the live plans, provider events; refunds and,
in sandbox mode, TEST MODE controls that make the provider's renewal events happen now."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momentum.accounts.policy import Access, caller, page_access
from momentum.billing import provider_requests, providers, queries
from momentum.billing.models import Payment, PaymentStatus, Product, Provider, Subscription
from momentum.lib.problems import Problem

PAGE_SIZE = 50


@page_access(Access.ADMIN)
def studio_payments(request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.get(name, "").strip()[:100] for name in ("status", "product", "provider", "q")}
    page = Paginator(queries.studio_payments(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    plans = list(queries.live_subscriptions()[:100])
    return render(
        request,
        "billing/studio_payments.html",
        {
            "page": page,
            "filters": filters,
            "statuses": PaymentStatus.choices,
            "products": Product.choices,
            "provider_choices": Provider.choices,
            "summary": queries.revenue_summary(30),
            "plans": plans,
            "events": queries.recent_webhook_events(),
            "sandbox": providers.is_sandbox(),
        },
    )


def _back(request: HttpRequest) -> HttpResponseRedirect:
    query = {k: v for k, v in request.POST.items() if k in ("status", "product", "provider", "q", "page") and v}
    url = reverse("billing:studio_payments")
    return HttpResponseRedirect(f"{url}?{urlencode(query)}" if query else url)


@page_access(Access.ADMIN)
@require_POST
def studio_refund(request: HttpRequest, payment_id: uuid.UUID) -> HttpResponse:
    payment = get_object_or_404(Payment, pk=payment_id)
    try:
        provider_requests.do_request_refund(caller(request), payment, request=request)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        payment.refresh_from_db()
        if payment.status == PaymentStatus.REFUNDED:
            messages.success(request, _("Refunded %(email)s's payment.") % {"email": payment.user.email})
        else:
            messages.info(request, _("Refund requested; the payment shows as refunded when the provider confirms it."))
    return _back(request)


@page_access(Access.ADMIN)
@require_POST
def studio_end_plan(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=subscription_id)
    try:
        provider_requests.do_request_subscription_end(caller(request), subscription, request=request)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("Ending %(email)s's plan.") % {"email": subscription.user.email})
    return _back(request)


def _renew(subscription: Subscription) -> None:
    provider_requests.do_sandbox_renew(subscription, succeed=True)


def _renew_declined(subscription: Subscription) -> None:
    provider_requests.do_sandbox_renew(subscription, succeed=False)


def _end_period(subscription: Subscription) -> None:
    provider_requests.do_sandbox_end_period(subscription)


SANDBOX_CONTROLS: dict[str, tuple[str, Callable[[Subscription], None]]] = {
    "renew": ("Renewed: the payment went through.", _renew),
    "fail": ("Renewal payment declined: the plan is past due.", _renew_declined),
    "end_period": ("The period ended: the plan is over.", _end_period),
}


@page_access(Access.ADMIN)
@require_POST
def studio_sandbox_plan(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """TEST MODE: make the sandbox send now what the provider sends at the end of a plan's period."""
    subscription = get_object_or_404(Subscription, pk=subscription_id, provider=Provider.SANDBOX)
    control = SANDBOX_CONTROLS.get(request.POST.get("action", ""))
    if control is None:
        messages.error(request, _("Unknown TEST MODE action."))
        return _back(request)
    done, run = control
    try:
        run(subscription)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(
            request, _("TEST MODE · %(email)s: %(done)s") % {"email": subscription.user.email, "done": done}
        )
    return _back(request)
