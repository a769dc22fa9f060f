"""Every API operation that needs an account answers a caller without good credentials 401, whatever
its verb: ``not_authenticated`` when none were sent (or the session has ended), ``invalid_token`` when
the bearer token is malformed, forged, expired or revoked. A CSRF refusal (403 ``csrf_failed``) only
ever answers a signed-in session cookie (tests/security/test_csrf.py); a caller who sent nothing to
check a CSRF token against is told to sign in, not that a token is missing.

The operations are read from the ninja router (tests/test_access_matrix.py checks that list
against the OpenAPI document), so a new operation is swept without editing this file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from django.conf import settings
from django.test import Client

from momentum.accounts.policy import SIGNED_IN
from momentum.accounts.tokens import issue_access_token
from tests.test_access_matrix import OPERATIONS, World, fill

pytestmark = pytest.mark.django_db

GUARDED = [(method, path) for method, path, access in OPERATIONS if access in SIGNED_IN]


def call(method: str, url: str, **headers: Any) -> Any:
    browser = Client(enforce_csrf_checks=True, **headers)
    if method in ("GET", "HEAD", "OPTIONS"):
        return browser.generic(method, url)
    return browser.generic(method, url, data="{}", content_type="application/json")


def answer(response: Any) -> tuple[int, str]:
    return response.status_code, response.json().get("code", "") if response.content else ""


def test_the_sweep_covers_writes_of_every_verb() -> None:
    assert {method for method, _ in GUARDED} >= {"GET", "POST", "PUT", "PATCH", "DELETE"}


@pytest.mark.parametrize(("method", "path"), GUARDED, ids=[f"{m} {p}" for m, p in GUARDED])
def test_a_caller_without_good_credentials_is_told_to_sign_in(world: World, method: str, path: str) -> None:
    url = fill(world, path)
    owner = world.owner
    expired = issue_access_token(owner, now=datetime.now(UTC) - timedelta(days=1))
    forged = jwt.encode({"sub": str(owner.pk), "aud": "momentum-api", "typ": "access", "iat": 0, "exp": 2**40},
                        "a-guessed-signing-key-that-is-not-ours-0123", "HS256")  # fmt: skip
    revoked = issue_access_token(owner)
    owner.set_password("a-new-password-ends-old-tokens-42")
    owner.save(update_fields=["password"])

    answers = {
        "no credentials": answer(call(method, url)),
        "an ended session": answer(call(method, url, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=ended-session")),
        "a garbage bearer": answer(call(method, url, HTTP_AUTHORIZATION="Bearer not-a-token")),
        "an empty bearer": answer(call(method, url, HTTP_AUTHORIZATION="Bearer")),
        "an expired bearer": answer(call(method, url, HTTP_AUTHORIZATION=f"Bearer {expired}")),
        "a forged bearer": answer(call(method, url, HTTP_AUTHORIZATION=f"Bearer {forged}")),
        "a revoked bearer": answer(call(method, url, HTTP_AUTHORIZATION=f"Bearer {revoked}")),
    }

    assert answers == {
        "no credentials": (401, "not_authenticated"),
        "an ended session": (401, "not_authenticated"),
        "a garbage bearer": (401, "invalid_token"),
        "an empty bearer": (401, "invalid_token"),
        "an expired bearer": (401, "invalid_token"),
        "a forged bearer": (401, "invalid_token"),
        "a revoked bearer": (401, "invalid_token"),
    }, f"{method} {url}"


def test_a_bad_bearer_token_is_named_in_the_challenge(world: World) -> None:
    response = call("POST", fill(world, "/api/v1/courses/{course}/enrollment"), HTTP_AUTHORIZATION="Bearer x.y.z")

    assert response["WWW-Authenticate"] == 'Bearer realm="momentum", error="invalid_token"'


def test_an_expired_bearer_token_says_it_expired(world: World) -> None:
    expired = issue_access_token(world.owner, now=datetime.now(UTC) - timedelta(days=1))

    response = call("GET", "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {expired}")

    assert (response.status_code, response.json()["code"]) == (401, "invalid_token")
    assert "expired" in response.json()["detail"]


def test_a_public_operation_takes_a_bad_token_for_an_anonymous_caller(world: World) -> None:
    response = call("GET", "/api/v1/courses", HTTP_AUTHORIZATION="Bearer not-a-token")

    assert response.status_code == 200
