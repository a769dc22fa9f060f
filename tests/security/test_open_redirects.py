"""Open redirects: no `next`-like parameter of any page (found from the URL configuration) sends
the browser off the site, on GET or on the POSTs that redirect (sign in, sign up, sign out,
cookie consent); and the checkout's return addresses are the site's own."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from conftest import ApiClient
from tests.factories import PASSWORD
from tests.test_access_matrix import PAGES, Page, World

# In the SQLite pass only: where a redirect goes is decided from the request, whatever the database holds.
pytestmark = [pytest.mark.django_db, pytest.mark.headers_only]

EVIL = [
    "https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example", "/\\/evil.example",
    "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "https:evil.example", "http://testserver@evil.example/", "https://evil.example%2F@testserver/",
    " //evil.example", "\t//evil.example", "/%2F/evil.example", "///evil.example", "https://testserver.evil.example/",
]  # fmt: skip
PARAMETERS = ["next", "return_to", "redirect_to", "redirect", "url", "success_url", "cancel_url", "continue"]


def off_site(response: Any) -> str | None:
    location = response.get("Location", "") if response.status_code in (301, 302, 303, 307, 308) else ""
    if not location:
        return None
    stripped = location.strip().replace("\\", "/")
    parts = urlsplit(stripped)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return location
    if parts.netloc and parts.netloc not in ("testserver",):
        return location
    if stripped.startswith("//"):
        return location
    return None


@pytest.mark.parametrize("page", PAGES, ids=[page.route or "/" for page in PAGES])
def test_no_redirect_parameter_of_a_page_leads_off_the_site(world: World, page: Page) -> None:
    url = page.url(world)
    signed = Client()
    signed.force_login(world.owner)
    found = []
    for client in (Client(), signed):
        for target in EVIL:
            query = "&".join(f"{name}={target}" for name in PARAMETERS)
            for method in ("get", "post"):
                response = getattr(client, method)(f"{url}?{query}", dict.fromkeys(PARAMETERS, target))
                if off_site(response):
                    found.append(f"{method.upper()} {url} -> {response['Location']}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("target", EVIL)
def test_signing_in_up_and_out_never_follows_an_outside_next(world: World, target: str) -> None:
    browser = Client()
    answers = [
        browser.post(
            f"/accounts/login/?next={target}", {"login": world.owner.email, "password": PASSWORD, "next": target}
        ),
        browser.post("/accounts/logout/", {"next": target}),
        browser.post(
            "/accounts/signup/",
            {
                "email": f"n{abs(hash(target))}@example.com",
                "password1": PASSWORD + "X!",
                "password2": PASSWORD + "X!",
                "next": target,
            },
        ),
        Client().post("/cookies/", {"choice": "essential", "next": target}),
        Client().post("/language/", {"language": "es", "next": target}),
    ]
    for answer in answers:
        assert answer.status_code in (200, 302, 422), answer.status_code
        assert off_site(answer) is None, answer["Location"]


def test_the_checkout_returns_to_the_site_itself(world: World) -> None:
    from momentum.billing.models import Payment
    from tests.factories import make_course

    make_course("Paid", slug="paid-course", is_premium=True, price_cents=4900)
    response = ApiClient(world.owner).post(
        "/checkout", {"course": "paid-course", "success_url": EVIL[0], "cancel_url": EVIL[1], "return_to": EVIL[0]}
    )

    assert response.status_code == 201, response.content
    assert urlsplit(response.json()["checkout_url"]).netloc in ("", "testserver")
    payment = Payment.objects.get(user=world.owner, amount_cents=4900)
    browser = Client()
    browser.force_login(world.owner)
    for action in ("cancel",):
        answer = browser.post(urlsplit(response.json()["checkout_url"]).path, {"action": action, "next": EVIL[0]})
        assert off_site(answer) is None
    assert payment.pk
