"""Every page of Momentum (from the URL configuration), as each persona sees it, carries the strict
Content-Security-Policy that makes stored markup inert even if it slipped past the sanitiser,
and its companion headers."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.test_access_matrix import PAGES, Page, World

# In the SQLite pass only: the policy is our middleware's, whatever the database holds.
pytestmark = [pytest.mark.django_db, pytest.mark.headers_only]

REQUIRED = {
    "script-src": "'self'", "object-src": "'none'", "base-uri": "'none'", "frame-ancestors": "'none'",
    "form-action": "'self'", "default-src": "'self'",
}  # fmt: skip


def directives(header: str) -> dict[str, str]:
    parts = [part.strip().split(None, 1) for part in header.split(";") if part.strip()]
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


@pytest.mark.parametrize("page", PAGES, ids=[page.route or "/" for page in PAGES])
def test_every_page_carries_the_strict_policy(world: World, page: Page) -> None:
    url = page.url(world)
    for persona in ("anonymous", "owner", "admin"):
        client = Client()
        if persona != "anonymous":
            client.force_login(world.owner if persona == "owner" else world.users["admin"])
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        policy = directives(response.get("Content-Security-Policy", ""))
        for name, value in REQUIRED.items():
            assert policy.get(name) == value, f"{url} as {persona}: {name} is {policy.get(name)!r}"
        assert not any("unsafe-" in value for value in policy.values()), f"{url}: {policy}"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response.get("Referrer-Policy"), url
