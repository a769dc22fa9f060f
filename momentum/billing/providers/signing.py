"""Stripe's webhook signature scheme, used by both providers.

The header is ``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed with the endpoint's
secret>``. Verification is the stripe SDK's own (``stripe.WebhookSignature``), which refuses a
wrong signature and a timestamp older than the tolerance; we also refuse one that far in the future.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import stripe

from momentum.lib.problems import Problem


class InvalidSignature(Problem):
    def __init__(self, detail: str) -> None:
        super().__init__(400, "invalid_signature", detail)


def sign(payload: str, secret: str, *, timestamp: int | None = None) -> str:
    """The signature header for ``payload``, as the provider sends it."""
    moment = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{moment}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={moment},v1={digest}"


def _timestamp(header: str) -> int:
    for item in header.split(","):
        key, _, value = item.partition("=")
        if key.strip() == "t":
            return int(value)
    raise InvalidSignature("The signature header has no timestamp.")


def verify(payload: bytes, header: str | None, secret: str, *, tolerance_seconds: int) -> dict[str, Any]:
    """The event in ``payload`` if ``header`` proves it came from the holder of ``secret``, recently."""
    if not header:
        raise InvalidSignature("The request carries no signature header.")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidSignature("The payload is not UTF-8 text.") from None
    try:
        stripe.WebhookSignature.verify_header(text, header, secret, tolerance_seconds)  # type: ignore[no-untyped-call]
    except stripe.SignatureVerificationError as error:
        raise InvalidSignature(f"The signature does not verify: {error.user_message or error}") from None
    if _timestamp(header) > time.time() + tolerance_seconds:
        raise InvalidSignature("The signature's timestamp is in the future.")
    try:
        event = json.loads(text)
    except json.JSONDecodeError:
        raise InvalidSignature("The signed payload is not JSON.") from None
    if not (isinstance(event, dict) and isinstance(event.get("id"), str) and isinstance(event.get("type"), str)):
        raise InvalidSignature("The signed payload is not an event.")
    if not isinstance(event.get("data"), dict) or not isinstance(event["data"].get("object"), dict):
        raise InvalidSignature("The event has no data object.")
    return event
