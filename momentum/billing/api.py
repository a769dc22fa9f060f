"""The billing app's API: checkout, the provider's webhook, a learner's payments."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import HeaderEx, P, QueryEx, Router, Status

from momentum.accounts.policy import Access, api_access, caller
from momentum.billing import checkout, providers, queries, webhooks
from momentum.billing.products import course_offer, plan_offer
from momentum.billing.schemas import CheckoutIn, CheckoutOut, CourseRef, PaymentOut, PaymentPage, WebhookReceipt
from momentum.catalog.queries import visible_course_or_404
from momentum.platform.api_problems import problems
from momentum.platform.idempotency import run_once

router = Router(tags=["billing"])


@router.post(
    "/checkout",
    auth=api_access(Access.VERIFIED),
    response={201: CheckoutOut},
    summary="Start paying for a premium course or the premium plan",
    openapi_extra=problems(
        {
            403: "`email_unverified`",
            404: "No such course",
            409: "`already_entitled`, `already_subscribed`, `not_for_sale`",
            503: "`payment_provider_unavailable`: nothing was charged",
        }
    ),
)
def start_checkout(
    request: HttpRequest,
    payload: CheckoutIn,
    idempotency_key: HeaderEx[str | None, P(alias="Idempotency-Key", max_length=255)] = None,
) -> Status[Any]:
    """Opens the provider's checkout session. Nothing is granted until the provider's signed webhook
    confirms the payment. The same `Idempotency-Key` and body return the first session."""
    user = request.user
    offer = course_offer(visible_course_or_404(user, payload.course)) if payload.course is not None else plan_offer()

    def work() -> tuple[int, Any]:
        site_url = request.build_absolute_uri("/").rstrip("/")
        payment, session = checkout.do_start_checkout(
            caller(request), offer, site_url=site_url, idempotency_key=idempotency_key or "", request=request
        )
        return 201, {"checkout_url": session.url, "session_id": session.id, "payment_id": str(payment.id)}

    status, body = run_once(
        user=user, scope="billing.checkout", key=idempotency_key, body=payload.model_dump(mode="json"), work=work
    )
    return Status(status, body)


@router.post(
    "/payments/webhook",
    auth=api_access(Access.PROVIDER),
    response={200: WebhookReceipt},
    summary="Events from the payment provider (signed)",
    openapi_extra=problems(
        {400: "`invalid_signature`: forged, altered or stale"},
        requestBody={
            "required": True,
            "description": "The provider's event, signed in the `Stripe-Signature` header "
            "(`Momentum-Sandbox-Signature` for the sandbox).",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
    ),
)
def payments_webhook(request: HttpRequest) -> Status[Any]:
    """Verified against the configured provider's signing secret and timestamp tolerance; each event
    id is applied once, so a replay answers 200 with `duplicate: true` and changes nothing."""
    provider = providers.current()
    receipt = webhooks.receive(provider, request.body, request.headers.get(provider.signature_header))
    return Status(200, receipt.as_dict())


@router.get("/me/payments", auth=api_access(Access.AUTHENTICATED), response=PaymentPage, summary="My payments")
def my_payments(
    request: HttpRequest,
    page: QueryEx[int, P(ge=1, le=100_000)] = 1,
    page_size: QueryEx[int, P(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    payments = queries.payments_of(request.user)
    start = (page - 1) * page_size
    items = [_payment_out(payment) for payment in payments[start : start + page_size]]
    return {"items": items, "count": payments.count(), "page": page, "page_size": page_size}


def _payment_out(payment: Any) -> PaymentOut:
    course = payment.course
    return PaymentOut(
        id=payment.id,
        product=payment.product,
        amount_cents=payment.amount_cents,
        currency=payment.currency,
        status=payment.status,
        provider=payment.provider,
        course=CourseRef(id=course.id, slug=course.slug, title=course.title) if course else None,
        plan=payment.plan or None,
        created_at=payment.created_at,
        paid_at=payment.paid_at,
        refunded_at=payment.refunded_at,
    )
