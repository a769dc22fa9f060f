"""In Chromium, anyone (no account) opens a certificate's verify page: it says who completed which
course, from whom and that it is valid, carries the tags a shared link previews with, and offers to
add it to a LinkedIn profile."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from momentum.credentials.queries import card_url, verify_url
from tests.factories import make_certificate, make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def test_a_visitor_checks_a_certificate_and_sees_its_preview_tags_and_linkedin_link(
    page: Any, learner: Any, screenshot: Any
) -> None:
    # given a learner's certificate
    course = make_course("Sleep Better in Seven Days", slug="sleep-better", duration_days=7)
    certificate = make_certificate(learner, course)

    # when a visitor opens its page
    page.goto(f"/certificates/{certificate.id}/")

    # then it names the learner, the course and the issuer, and says it is valid
    assert page.get_by_role("heading", name="Lee Learner").is_visible()
    assert page.get_by_role("link", name="Sleep Better in Seven Days").is_visible()
    assert "Valid." in page.get_by_role("status").inner_text()
    # and a shared link previews with the certificate's picture
    meta = page.evaluate(
        '() => Object.fromEntries([...document.querySelectorAll(\'meta[property^="og:"], meta[name^="twitter:"]\')]'
        ".map(m => [m.getAttribute('property') || m.getAttribute('name'), m.content]))"
    )
    assert meta["og:title"] == "Lee Learner completed Sleep Better in Seven Days"
    assert meta["og:url"] == verify_url(certificate.id)
    assert meta["og:image"] == card_url(certificate.id)
    assert meta["twitter:card"] == "summary_large_image"
    # and the picture loads
    assert page.request.get(urlsplit(card_url(certificate.id)).path).headers["content-type"] == "image/png"
    # and "Add to LinkedIn profile" prefills the certification
    link = page.get_by_role("link", name="Add to LinkedIn profile")
    assert link.is_visible()
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert (query["startTask"], query["certId"], query["certUrl"]) == (
        ["CERTIFICATION_NAME"], [str(certificate.id)], [verify_url(certificate.id)],
    )  # fmt: skip
    assert page.js_errors == []
    screenshot(page, "verify-page")
