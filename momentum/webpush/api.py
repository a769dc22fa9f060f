"""The web push API: the VAPID public key, and a learner's push subscriptions (mounted under /api/v1)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Router
from ninja.responses import Status

from momentum.accounts.policy import Access, api_access
from momentum.lib.problems import Invalid, NotFound, Problem
from momentum.lib.safe_urls import check_url_form
from momentum.platform.api_problems import problems
from momentum.webpush import actions, queries
from momentum.webpush.schemas import EndpointIn, PublicKeyOut, SubscriptionIn, SubscriptionOut
from momentum.webpush.vapid import public_key

router = Router(tags=["push"])


def _checked_endpoint(endpoint: str) -> str:
    """A push service's URL: https when deployed, a public host (the server posts to it; checked
    again as each push connects, lib/outbound.py) unless MOMENTUM_ALLOW_PRIVATE_PUSH_ENDPOINTS."""
    parsed = urlparse(endpoint)
    schemes = ("https",) if settings.PUSH_REQUIRE_HTTPS else ("https", "http")
    if parsed.scheme not in schemes or not parsed.hostname or parsed.username or parsed.password:
        raise Invalid("endpoint", f"must be an {' or '.join(schemes)} URL of a push service", rule="url")
    return check_url_form(endpoint, field="endpoint", allow_private=settings.ALLOW_PRIVATE_PUSH_ENDPOINTS)


def _out(subscription: Any) -> dict[str, Any]:
    return {
        "id": subscription.pk,
        "push_service": queries.push_service_of(subscription.endpoint),
        "created_at": subscription.created_at,
    }


@router.get("/push/public-key", response=PublicKeyOut, auth=api_access(Access.PUBLIC))
def push_public_key(request: HttpRequest) -> dict[str, Any]:
    """The VAPID public key a page passes to pushManager.subscribe as applicationServerKey."""
    key = public_key()
    return {"enabled": key is not None, "public_key": key}


@router.post(
    "/me/push-subscriptions",
    response={200: SubscriptionOut, 201: SubscriptionOut},
    auth=api_access(Access.AUTHENTICATED),
    openapi_extra=problems({503: "Push is off on this site (no VAPID key)"}),
)
def subscribe(request: HttpRequest, body: SubscriptionIn) -> Status[Any]:
    """Store this browser's push subscription for the caller (200 when it was stored already)."""
    if public_key() is None:
        raise Problem(503, "push_disabled", _("Push notifications are off on this site."))
    subscription, created = actions.do_subscribe(
        request.user,
        endpoint=_checked_endpoint(body.endpoint),
        p256dh=body.keys.p256dh,
        auth=body.keys.auth,
        user_agent=request.headers.get("User-Agent", ""),
        request=request,
    )
    return Status(201 if created else 200, _out(subscription))


@router.delete(
    "/me/push-subscriptions", response={204: None}, auth=api_access(Access.AUTHENTICATED),
    openapi_extra=problems({404: "`not_found`: the caller has no subscription with this endpoint"}),
)  # fmt: skip
def unsubscribe(request: HttpRequest, body: EndpointIn) -> HttpResponse:
    """Forget this browser's subscription (404 when the caller has none with that endpoint)."""
    if not actions.do_unsubscribe(request.user, endpoint=body.endpoint, request=request):
        raise NotFound(_("You have no push subscription with that endpoint."))
    return HttpResponse(status=204)
