"""In Chromium: the strict Content-Security-Policy breaks nothing, the API reference included."""

from __future__ import annotations

from typing import Any

import pytest

# What the policy blocks is in the markup and the headers, the same whichever database filled the page.
pytestmark = [pytest.mark.browser, pytest.mark.markup_only, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_under_the_strict_policy(page: Any, live_server: Any) -> None:
    response = page.goto("/api/docs")

    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    page.get_by_text("/api/v1/auth/token").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    assert page.js_errors == []  # a blocked script or style would be reported here


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/privacy/"]
)
def test_pages_raise_no_policy_violation(page: Any, live_server: Any, path: str) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )

    page.goto(path)
    page.wait_for_load_state("networkidle")

    assert violations == []
    assert page.js_errors == []


def test_the_cookie_notice_goes_away_in_place_with_htmx(page: Any, live_server: Any, settings: Any) -> None:
    settings.CONSENT_OPTIONAL_COOKIES = {"_visits": "counting visits"}
    page.goto("/privacy/")
    page.get_by_role("button", name="Essential only").click()

    page.locator("#cookie-notice").wait_for(state="detached")
    assert page.url.endswith("/privacy/")
    assert {cookie["name"] for cookie in page.context.cookies()} >= {"momentum_consent"}
    page.reload()
    assert page.locator("#cookie-notice").count() == 0
