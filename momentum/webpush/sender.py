"""One push to one subscription, over the wire (pywebpush: aes128gcm payload, VAPID-signed request).

The push service's answer decides what happens to the delivery: 201 (or any 2xx) delivered; 404/410
the subscription is gone (the browser unsubscribed or the learner revoked permission); 429, 5xx, a
timeout or a refused connection: try again later (after Retry-After when the service gave one); any
other 4xx: our request is wrong, retrying would not help. An endpoint whose host resolves to a
loopback, private or link-local address is never contacted (``lib/outbound.py``; the learner chose
it): the subscription is gone, unless MOMENTUM_ALLOW_PRIVATE_PUSH_ENDPOINTS is on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any
from urllib.parse import urlparse

import requests
from django.conf import settings
from django.utils import timezone
from pywebpush import WebPushException, webpush

from momentum.lib.outbound import InvalidIPAddress, session_to_public_hosts
from momentum.webpush.vapid import signing_key

TTL_SECONDS = 12 * 60 * 60  # a reminder is worth nothing the next day
JWT_LIFETIME = timedelta(hours=12)  # RFC 8292: no more than 24 hours


class Outcome(Enum):
    DELIVERED = "delivered"
    GONE = "gone"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    status_code: int | None = None
    retry_after_seconds: int | None = None
    error: str = ""


def payload(*, kind: str, title: str, body: str, url: str) -> str:
    """What the service worker shows: it reads this JSON in its push event."""
    return json.dumps({"kind": kind, "title": title, "body": body, "url": url}, separators=(",", ":"))


def send(*, endpoint: str, p256dh: str, auth: str, data: str, topic: str | None = None) -> Result:
    parsed = urlparse(endpoint)
    claims: dict[str, str | int] = {
        "sub": settings.VAPID_SUBJECT,
        "aud": f"{parsed.scheme}://{parsed.netloc}",
        # The push service checks exp against its own (real) clock, whatever moment a test travelled to.
        "exp": int((timezone.now() + JWT_LIFETIME).timestamp()),
    }
    headers: dict[str, Any] = {"Urgency": "normal"}
    if topic:
        headers["Topic"] = topic  # a newer push of the same topic replaces one still waiting
    try:
        response = webpush(
            {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=data,
            vapid_private_key=signing_key(),
            vapid_claims=claims,
            content_encoding="aes128gcm",
            timeout=settings.PUSH_TIMEOUT_SECONDS,
            ttl=TTL_SECONDS,
            headers=headers,
            requests_session=session_to_public_hosts(
                timeout=settings.PUSH_TIMEOUT_SECONDS, allow_private=settings.ALLOW_PRIVATE_PUSH_ENDPOINTS
            ),
        )
    except InvalidIPAddress as error:  # never sent: no push service answers there
        return Result(Outcome.GONE, error=f"the endpoint's host resolves to a non-public address ({error})"[:300])
    except WebPushException as error:
        answer = error.response
        if answer is None:
            return Result(Outcome.RETRY, error=str(error)[:300])
        return _judge(answer.status_code, answer.headers.get("Retry-After"))
    except requests.RequestException as error:  # timeout, refused, reset: the service may be back soon
        return Result(Outcome.RETRY, error=f"{type(error).__name__}: {error}"[:300])
    assert isinstance(response, requests.Response)  # noqa: S101  (curl=False returns the response)
    return _judge(response.status_code, response.headers.get("Retry-After"))


def _judge(status: int, retry_after: str | None) -> Result:
    if 200 <= status < 300:
        return Result(Outcome.DELIVERED, status)
    if status in (404, 410):
        return Result(Outcome.GONE, status)
    if status == 429 or status >= 500:
        seconds = int(retry_after) if retry_after and retry_after.strip().isdigit() else None
        return Result(Outcome.RETRY, status, retry_after_seconds=seconds, error=f"the push service answered {status}")
    return Result(Outcome.FAILED, status, error=f"the push service refused the push ({status})")
