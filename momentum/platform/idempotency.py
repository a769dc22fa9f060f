"""Idempotency-Key for mutations: the same key and body return the first result.

The first request inserts a pending record (a unique constraint on user+scope+key decides the
race), does the work, and stores the response. A repeat with the same body gets the stored
response; with a different body, 422. A repeat that arrives while the first is still running
waits for its answer (409 if that takes longer than WAIT_FOR_FIRST_SECONDS).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from momentum.lib.problems import Problem
from momentum.platform.models import IdempotencyRecord

MAX_KEY_LENGTH = 255
WAIT_FOR_FIRST_SECONDS = 10.0


def _fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def _first_result(*, user: Any, scope: str, key: str, fingerprint: str) -> tuple[int, Any]:
    """The stored answer to the first request with this key, waiting briefly while it runs."""
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
    while True:
        existing = IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).first()
        if existing is None:  # the first attempt failed and let go of the key
            raise Problem(409, "idempotency_retry", _("The first request with this key failed; send it again."))
        if existing.request_hash != fingerprint:
            raise Problem(
                422, "idempotency_key_reused", _("This Idempotency-Key was used with a different request body.")
            )
        if existing.response_status is not None:
            return existing.response_status, existing.response_body
        if time.monotonic() > deadline:
            raise Problem(
                409, "idempotency_in_progress", _("A request with this Idempotency-Key is still being processed."),
                headers={"Retry-After": "1"},
            )  # fmt: skip
        time.sleep(0.05)


def run_once(
    *, user: Any, scope: str, key: str | None, body: Any, work: Callable[[], tuple[int, Any]]
) -> tuple[int, Any]:
    """``work()`` returns (status, JSON-able body); with a key, it runs at most once per user and scope."""
    if not key:
        return work()
    if len(key) > MAX_KEY_LENGTH:
        raise Problem(422, "validation_error", f"Idempotency-Key is longer than {MAX_KEY_LENGTH} characters.")
    fingerprint = _fingerprint(body)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(user=user, scope=scope, key=key, request_hash=fingerprint)
    except IntegrityError:
        return _first_result(user=user, scope=scope, key=key, fingerprint=fingerprint)
    try:
        status, response = work()
    except Exception:
        record.delete()  # a failed attempt must not block a retry with the same key
        raise
    record.response_status = status
    record.response_body = response
    record.save(update_fields=["response_status", "response_body"])
    return status, response
