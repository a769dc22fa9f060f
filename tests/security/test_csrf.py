"""Cross-site request forgery: no state-changing request rides on the browser's cookies alone.

Pages: every URL pattern (from the resolver) refuses a POST that carries a signed-in session
but no CSRF token, with 403 from the CSRF check (or 405 when it takes no POST at all).

API: browsers call it with the session cookie, so every signed-in, state-changing operation
(from the OpenAPI document) refuses the cookie without the CSRF token (403 ``csrf_failed``), and
accepts it with the token; bearer-token calls carry no ambient credential and need none. Public
state-changing operations never act as the session's user, so only credential exchanges may be one.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from momentum.accounts.policy import Access
from tests.test_access_declared import url_patterns
from tests.test_access_matrix import OPERATIONS, PAGES, Page, World, fill

pytestmark = pytest.mark.django_db

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def signed_in(world: World, *, admin: bool) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["admin"] if admin else world.owner)
    return client


def refused_for_csrf(response: Any) -> bool:
    return response.status_code == 403 and (b"CSRF" in response.content or b'"csrf_failed"' in response.content)


# Views that take a POST without the token, each with the reason it is safe.
CSRF_EXEMPT = {
    "reminders/unsubscribe/<str:token>/": "one-click unsubscribe (RFC 8058): the signed token in the address "
    "is the credential, not the session; it only switches the reminder email off or on",
    "lti/login/": "LTI 1.3 third-party login initiation: the LMS posts it cross-site (no cookie or token of ours "
    "can ride along); it only starts an OIDC login whose state and nonce the launch checks",
    "lti/launch/": "LTI 1.3 launch: the LMS posts it cross-site; the platform-signed id_token (checked against "
    "its keyset) and the state cookie set at login are the protection, not the session",
}


@pytest.mark.parametrize("page", PAGES, ids=[page.route or "/" for page in PAGES])
def test_a_form_post_without_the_csrf_token_is_refused(world: World, page: Page) -> None:
    if page.route in CSRF_EXEMPT:
        pytest.skip(f"CSRF-exempt by design: {CSRF_EXEMPT[page.route]}")
    url = page.url(world)
    for admin in (True, False):
        response = signed_in(world, admin=admin).post(url, {"next": "/", "password": "x", "title": "Forged"})
        assert refused_for_csrf(response) or response.status_code == 405, (
            f"POST {url} without a CSRF token ({'admin' if admin else 'learner'}): {response.status_code}"
        )


def test_the_only_csrf_exempt_pages_are_the_reviewed_ones() -> None:
    """A view marked @csrf_exempt must be reviewed and listed above (API views are exempt from the
    middleware and checked per operation by their authentication, below)."""
    exempt = {
        route for route, pattern in url_patterns()
        if getattr(pattern.callback, "csrf_exempt", False) and not route.startswith("api/")
    }  # fmt: skip

    assert exempt == set(CSRF_EXEMPT)


def test_an_anonymous_sign_in_without_the_token_is_refused(world: World) -> None:
    """Login CSRF: a forged sign-in into the attacker's account is refused too."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": world.owner.email, "password": "correct-horse-42"})

    assert refused_for_csrf(response)
    assert "_auth_user_id" not in client.session


SESSION_OPERATIONS = [
    (method, path) for method, path, access in OPERATIONS
    if method in UNSAFE and access not in (Access.PUBLIC, Access.PROVIDER)
]  # fmt: skip


@pytest.mark.parametrize(("method", "path"), SESSION_OPERATIONS, ids=[f"{m} {p}" for m, p in SESSION_OPERATIONS])
def test_the_session_cookie_alone_cannot_call_a_state_changing_api_operation(
    world: World, method: str, path: str
) -> None:
    admin = "/admin/" in path or not any(word in path for word in ("/me", "/enrollment", "/progress", "/checkout"))
    client = signed_in(world, admin=admin)

    response = client.generic(method, fill(world, path), "{}", "application/json")

    assert response.status_code == 403, f"{method} {path}: {response.status_code} {response.content[:200]!r}"
    assert response.json()["code"] == "csrf_failed"


def test_the_session_cookie_with_the_csrf_token_is_accepted(world: World) -> None:
    """The refusal above is the CSRF check, not a refusal of sessions: with the token it works."""
    client = signed_in(world, admin=False)
    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies["csrftoken"] = request.META["CSRF_COOKIE"]
    from django.conf import settings

    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]

    response = client.patch(
        "/api/v1/me", {"display_name": "Owen"}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 200, response.content
    world.owner.refresh_from_db()
    assert world.owner.display_name == "Owen"


def test_a_bearer_token_needs_no_csrf_token(world: World) -> None:
    from momentum.accounts.tokens import issue_access_token

    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {issue_access_token(world.owner)}")

    response = client.patch("/api/v1/me", {"display_name": "Owen B"}, content_type="application/json")

    assert response.status_code == 200


# Public operations that change state: they exchange credentials given in the body (never the
# session's) for tokens or emails. A new public write must be reviewed and added here.
CREDENTIAL_EXCHANGES = {
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/token"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/verify-email"),
    ("POST", "/api/v1/auth/password-reset"),
}


def test_public_state_changing_operations_are_only_credential_exchanges() -> None:
    public_writes = {(m, p) for m, p, access in OPERATIONS if m in UNSAFE and access is Access.PUBLIC}

    assert public_writes <= CREDENTIAL_EXCHANGES, public_writes - CREDENTIAL_EXCHANGES


def test_the_api_sets_no_session_on_a_token_sign_in(world: World) -> None:
    """So a cross-site POST to /auth/token cannot sign the victim's browser into anything."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/auth/token", {"email": world.owner.email, "password": "correct-horse-42"}, "application/json"
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
