"""Billing pages for learners: checkout, the sandbox's TEST MODE page, success, cancelled, history.

None of these grants anything: returning to the success page only shows what the provider's
signed events have recorded (and waits for them while the payment is being confirmed).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from momentum.accounts.policy import Access, caller, page_access
from momentum.billing import provider_requests, providers, queries
from momentum.billing.checkout import do_start_checkout, refuse_purchase
from momentum.billing.models import PaymentStatus, Product
from momentum.billing.products import PLAN_CODE, Offer, course_offer, plan_offer
from momentum.catalog.queries import visible_course_or_404
from momentum.lib.problems import Problem
from momentum.platform.idempotency import run_once


def _offer_from(request: HttpRequest, data: Any) -> Offer | None:
    if data.get("plan") == PLAN_CODE:
        return plan_offer()
    course = data.get("course", "").strip()
    if course and len(course) <= 120:
        return course_offer(visible_course_or_404(request.user, course))
    return None


@page_access(Access.VERIFIED)
@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    """The order summary, and the button that takes the learner to the provider's payment page."""
    offer = _offer_from(request, request.POST if request.method == "POST" else request.GET)
    if offer is None:
        return render(request, "billing/checkout.html", {"offer": None, "plan": plan_offer()}, status=404)
    context: dict[str, Any] = {"offer": offer, "sandbox": providers.is_sandbox()}
    try:
        refuse_purchase(caller(request), offer)
    except Problem as problem:
        context["refusal"] = problem
    if request.method == "POST" and "refusal" not in context:
        key = request.POST.get("idempotency_key", "")[:255]
        body = {"course": offer.course.pk if offer.course else None, "plan": offer.plan}

        def work() -> tuple[int, Any]:
            _payment, session = do_start_checkout(
                caller(request),
                offer,
                site_url=request.build_absolute_uri("/").rstrip("/"),
                idempotency_key=key,
                request=request,
            )
            return 303, {"url": session.url}

        try:
            _status, result = run_once(user=request.user, scope="billing.checkout.page", key=key, body=body, work=work)
        except Problem as problem:
            context["error"] = problem
        else:
            return HttpResponseRedirect(result["url"], status=303)
    context["idempotency_key"] = uuid.uuid4().hex
    status = 200
    if "error" in context:
        status = context["error"].status
    elif "refusal" in context and request.method == "POST":
        status = context["refusal"].status
    return render(request, "billing/checkout.html", context, status=status)


@page_access(Access.OWNER)
@require_http_methods(["GET", "POST"])
def sandbox_checkout(request: HttpRequest, session_id: str) -> HttpResponse:
    """The sandbox's payment page (TEST MODE): pay or cancel, no card collected."""
    payment = queries.sandbox_payment_of_owner(request.user, session_id)
    if request.method == "POST":
        choice = request.POST.get("action")
        try:
            if choice == "pay":
                provider_requests.do_sandbox_complete_checkout(payment)
                return redirect("billing:checkout_success", payment_id=payment.pk)
            if choice == "cancel":
                provider_requests.do_sandbox_expire_checkout(payment)
                return redirect("billing:checkout_cancelled", payment_id=payment.pk)
        except Problem as problem:
            messages.error(request, problem.detail)
        payment.refresh_from_db()
    return render(request, "billing/sandbox_checkout.html", {"payment": payment})


@page_access(Access.OWNER)
def checkout_success(request: HttpRequest, payment_id: uuid.UUID) -> HttpResponse:
    """Where the provider sends the learner back: shows what its events have recorded so far."""
    payment = queries.payment_of_owner(request.user, payment_id)
    partial = request.headers.get("HX-Request") == "true"
    template = "billing/partials/payment_status.html" if partial else "billing/success.html"
    return render(
        request,
        template,
        {
            "payment": payment,
            "pending": payment.status == PaymentStatus.PENDING,
            "is_plan": payment.product == Product.PLAN,
            "subscription": queries.current_subscription(request.user) if payment.product == Product.PLAN else None,
        },
    )


@page_access(Access.OWNER)
def checkout_cancelled(request: HttpRequest, payment_id: uuid.UUID) -> HttpResponse:
    payment = queries.payment_of_owner(request.user, payment_id)
    return render(request, "billing/cancelled.html", {"payment": payment})


@page_access(Access.AUTHENTICATED)
def payment_history(request: HttpRequest) -> HttpResponse:
    """The learner's plan and every payment they made, on their profile."""
    from django.core.paginator import Paginator

    page = Paginator(queries.payments_of(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "billing/payment_history.html",
        {"page": page, "subscription": queries.current_subscription(request.user), "plan": plan_offer()},
    )


@page_access(Access.AUTHENTICATED)
@require_POST
def cancel_plan(request: HttpRequest) -> HttpResponse:
    subscription = queries.current_subscription(request.user)
    if subscription is None:
        messages.error(request, _("You have no premium plan to cancel."))
        return redirect("billing:payment_history")
    try:
        provider_requests.do_request_plan_cancellation(caller(request), subscription, request=request)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        subscription.refresh_from_db()
        if subscription.cancel_at_period_end or subscription.status == "CANCELLED":
            messages.success(request, _("Your plan is cancelled. You will not be charged again."))
        else:
            messages.info(request, _("Cancellation requested; it shows here as soon as the provider confirms it."))
    return redirect("billing:payment_history")
