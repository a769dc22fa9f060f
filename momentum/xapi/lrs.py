"""POST /statements to the configured learning record store, and what its answer means for the outbox.

xAPI 1.0.3 (Communication, 2.1.2): a JSON array of statements, with the X-Experience-API-Version
header and HTTP basic credentials. 200 (with the ids) or 204 (all of them already there, the same):
delivered. 409: at least one id is already stored with other content; the whole batch was refused,
so the caller sends its statements one by one, and a single statement refused with 409 is already in
the LRS under its id: delivered. 400 on a batch: one bad statement spoils the batch, so again one by
one; a single statement refused with 400 stays queued (and alarmed) for a person to look at. 429, 5xx,
401/403 (credentials changed), timeouts and refused connections: try again later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from typing import Any

import requests
from django.conf import settings

XAPI_VERSION = "1.0.3"


class Outcome(Enum):
    DELIVERED = "delivered"
    SPLIT = "split"  # send the batch's statements one by one
    RETRY = "retry"


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    status_code: int | None = None
    retry_after_seconds: int | None = None
    error: str = ""


def post_statements(statements: list[dict[str, Any]]) -> Answer:
    try:
        response = requests.post(
            f"{settings.XAPI_LRS_URL}/statements",
            data=json.dumps(statements, separators=(",", ":")),
            headers={"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION},
            auth=(settings.XAPI_LRS_USERNAME, settings.XAPI_LRS_PASSWORD),
            timeout=settings.XAPI_TIMEOUT_SECONDS,
        )
    except requests.RequestException as error:  # down, refused, timed out: it may be back soon
        return Answer(Outcome.RETRY, error=f"{type(error).__name__}: {error}"[:300])
    return judge(response.status_code, response.headers.get("Retry-After"), response.text, batch=len(statements))


def judge(status: int, retry_after: str | None, body: str, *, batch: int) -> Answer:
    if 200 <= status < 300:
        return Answer(Outcome.DELIVERED, status)
    if status == 409:
        return Answer(Outcome.SPLIT if batch > 1 else Outcome.DELIVERED, status)
    if status == 400 and batch > 1:
        return Answer(Outcome.SPLIT, status)
    seconds = int(retry_after) if retry_after and retry_after.strip().isdigit() else None
    return Answer(Outcome.RETRY, status, retry_after_seconds=seconds,
                  error=f"the LRS answered {status}: {body.strip()[:200]}")  # fmt: skip
