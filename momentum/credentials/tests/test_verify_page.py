"""The public verify page of a certificate (no sign-in), its preview picture, the links to it from
the learner's pages, and the studio's list with its revoke form."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from momentum.credentials.actions import do_revoke_credential
from momentum.credentials.models import Credential
from momentum.credentials.queries import card_url, verify_url

pytestmark = pytest.mark.django_db


def _meta(html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert match, key
    return unescape(match.group(1))


def test_anyone_sees_who_earned_it_for_what_from_whom_and_that_it_is_valid(
    client: Client, certificate: Credential
) -> None:
    response = client.get(f"/certificates/{certificate.id}/")

    assert response.status_code == 200
    html = response.content.decode()
    issued = certificate.issued_at
    api = f"/api/v1/certificates/{certificate.id}"
    for expected in ("Lee Learner", "Sleep Better in Seven Days", "Momentum", "Valid",
                     f"{issued.day} {issued.strftime('%B')} {issued.year}", f"{api}/pdf", f"{api}/credential",
                     f"{api}/credential.jwt"):  # fmt: skip
        assert expected in html
    assert "REVOKED" not in html


def test_a_revoked_certificate_says_so_with_the_date(client: Client, admin: Any, certificate: Credential) -> None:
    revoked_at = do_revoke_credential(certificate, reason="Issued by mistake", actor=admin).revoked_at
    assert revoked_at is not None

    html = client.get(f"/certificates/{certificate.id}/").content.decode()

    assert "REVOKED" in html
    assert f"{revoked_at.day} {revoked_at.strftime('%B')} {revoked_at.year}" in html
    assert 'data-certificate-status="revoked"' in html
    assert "Add to LinkedIn profile" not in html


def test_a_shared_link_previews_with_open_graph_and_twitter_tags(client: Client, certificate: Credential) -> None:
    html = client.get(f"/certificates/{certificate.id}/").content.decode()

    assert _meta(html, "og:title") == "Lee Learner completed Sleep Better in Seven Days"
    assert "issued by Momentum" in _meta(html, "og:description")
    assert _meta(html, "og:url") == verify_url(certificate.id)
    assert _meta(html, "og:image") == card_url(certificate.id)
    assert _meta(html, "twitter:card") == "summary_large_image"
    assert _meta(html, "twitter:image") == card_url(certificate.id)


def test_the_preview_picture_is_a_png_of_the_certificate(client: Client, certificate: Credential) -> None:
    response = client.get(urlsplit(card_url(certificate.id)).path)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_linkedin_link_prefills_the_certification(client: Client, certificate: Credential) -> None:
    html = client.get(f"/certificates/{certificate.id}/").content.decode()

    href = unescape(re.search(r'href="([^"]+)"[^>]*data-linkedin-add', html).group(1))  # type: ignore[union-attr]
    url = urlsplit(href)
    assert (url.scheme, url.netloc, url.path) == ("https", "www.linkedin.com", "/profile/add")
    assert {k: v[0] for k, v in parse_qs(url.query).items()} == {
        "startTask": "CERTIFICATION_NAME", "name": "Sleep Better in Seven Days", "organizationName": "Momentum",
        "issueYear": str(certificate.issued_at.year), "issueMonth": str(certificate.issued_at.month),
        "certUrl": verify_url(certificate.id), "certId": str(certificate.id),
    }  # fmt: skip


@pytest.mark.parametrize("unknown", ["00000000-0000-0000-0000-000000000000", "not-a-certificate"])
def test_an_unknown_certificate_page_is_not_found(client: Client, unknown: str) -> None:
    response = client.get(f"/certificates/{unknown}/")

    assert response.status_code == 404
    assert b"No certificate has this id." in response.content
    assert client.get(f"/certificates/{unknown}/card.png").status_code == 404


def test_the_learners_dashboard_and_course_page_link_to_the_certificate(
    client: Client, learner: Any, certificate: Credential, course: Any
) -> None:
    client.force_login(learner)
    link = f'href="/certificates/{certificate.id}/"'

    assert link in client.get("/dashboard/").content.decode()
    assert link in client.get(f"/courses/{course.slug}/").content.decode()


def test_an_admin_finds_and_revokes_a_certificate_in_the_studio(
    client: Client, admin: Any, certificate: Credential
) -> None:
    client.force_login(admin)
    page = client.get("/studio/certificates/", {"q": "lee.learner"})
    assert "Sleep Better in Seven Days" in page.content.decode()

    response = client.post(f"/studio/certificates/{certificate.id}/revoke/", {"reason": "Identity not confirmed"})

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert (certificate.revoke_reason, certificate.revoked_by) == ("Identity not confirmed", admin)
    assert "Identity not confirmed" in client.get("/studio/certificates/").content.decode()


def test_the_studio_refuses_a_revocation_without_a_reason(client: Client, admin: Any, certificate: Credential) -> None:
    client.force_login(admin)

    response = client.post(f"/studio/certificates/{certificate.id}/revoke/", {"reason": " "}, follow=True)

    assert "Give the reason for revoking this credential." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_learners_cannot_open_the_studio_list(client: Client, learner: Any) -> None:
    client.force_login(learner)

    assert client.get("/studio/certificates/").status_code == 403
