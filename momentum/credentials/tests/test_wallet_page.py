"""The learner's wallet (/profile/credentials/): their certificates and badge credentials, each with
its downloads (PDF, JSON, JWT, baked PNG), its verify page and a link to share; nobody else's."""

from __future__ import annotations

from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from momentum.accounts.actions import do_erase_account
from momentum.credentials import queries
from momentum.credentials.actions import do_revoke_credential
from tests.factories import make_certificate, make_course, make_history, make_user

pytestmark = pytest.mark.django_db

WALLET = "/profile/credentials/"


def _wallet(client: Client, user: Any) -> str:
    client.force_login(user)
    response = client.get(WALLET)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_wallet_lists_each_certificate_with_its_downloads_verify_share_and_linkedin_links(
    client: Client, learner: Any
) -> None:
    history = make_history(learner)
    certificate = history.certificate

    html = _wallet(client, learner)

    assert history.course.title in html
    api = f"/api/v1/certificates/{certificate.id}"
    for link in (f"{api}/pdf", f"{api}/credential", f"{api}/credential.jwt"):
        assert f'href="{queries._absolute(link)}"' in html
    assert f'href="{queries.verify_url(certificate.id)}"' in html  # the verify page
    assert f'value="{queries.verify_url(certificate.id)}" readonly data-share-field' in html  # the share link
    linkedin = html.split("data-linkedin-add")[0].rsplit('href="', 1)[1].split('"')[0]
    assert parse_qs(urlsplit(linkedin).query)["certUrl"] == [queries.verify_url(certificate.id)]
    assert 'data-status="valid"' in html


def test_the_wallet_lists_each_badge_credential_with_its_json_jwt_and_baked_image(client: Client, learner: Any) -> None:
    history = make_history(learner)
    badge = history.badge_credential

    html = _wallet(client, learner)

    assert "First step" in html
    for link in (queries.badge_credential_url(badge.id), queries.badge_credential_jwt_url(badge.id),
                 queries.badge_image_url(badge.id)):  # fmt: skip
        assert f'href="{link}"' in html
    # and each link answers: the learner downloads what the wallet offers
    for link in (queries.badge_credential_url(badge.id), queries.badge_credential_jwt_url(badge.id),
                 queries.badge_image_url(badge.id)):  # fmt: skip
        assert client.get(urlsplit(link).path).status_code == 200


def test_a_revoked_certificate_is_marked_revoked_with_its_date_and_offers_no_linkedin_or_share(
    client: Client, learner: Any, admin: Any
) -> None:
    certificate = make_certificate(learner, make_course("Sleep Better in Seven Days", slug="sleep-better"))
    revoked_at = do_revoke_credential(certificate, reason="Issued by mistake", actor=admin).revoked_at
    assert revoked_at is not None

    html = _wallet(client, learner)

    assert 'data-status="revoked"' in html
    assert f"Revoked {revoked_at.day} {revoked_at.strftime('%b')} {revoked_at.year}" in html
    assert "data-linkedin-add" not in html
    assert "data-share-field" not in html
    assert f"/api/v1/certificates/{certificate.id}/pdf" in html  # the PDF (it says REVOKED) stays downloadable


def test_the_wallet_shows_only_the_learners_own_credentials(client: Client, learner: Any) -> None:
    mine = make_certificate(learner, make_course("Mine to keep", slug="mine"))
    other = make_user("olga.other@example.com", display_name="Olga Other")
    theirs = make_history(other)

    html = _wallet(client, learner)

    assert str(mine.id) in html
    assert str(theirs.certificate.id) not in html
    assert str(theirs.badge_credential.id) not in html
    assert theirs.course.title not in html


def test_a_learner_without_credentials_sees_how_to_earn_them(client: Client, learner: Any) -> None:
    html = _wallet(client, learner)

    assert "No certificates yet." in html
    assert "No badges yet." in html


def test_the_wallet_is_in_the_profile_menu_and_asks_a_visitor_to_sign_in(client: Client, learner: Any) -> None:
    response = client.get(WALLET)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

    html = _wallet(client, learner)

    assert f'<a href="{WALLET}" aria-current="page">Credentials</a>' in html
    assert f'<a href="{WALLET}">Credentials</a>' in client.get("/profile/").content.decode()


def test_the_wallet_reads_as_many_queries_for_many_credentials_as_for_one(client: Client, learner: Any) -> None:
    make_history(learner)
    client.force_login(learner)
    client.get(WALLET)  # warm the session and the site's settings caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(WALLET).status_code == 200

    for number in range(3):
        make_certificate(learner, make_course(f"Course {number}", slug=f"course-{number}"))
    with CaptureQueriesContext(connection) as four:
        assert client.get(WALLET).status_code == 200

    assert len(four) == len(one)


def test_an_erased_account_has_no_wallet_and_its_credentials_are_gone(client: Client, learner: Any) -> None:
    history = make_history(learner)
    client.force_login(learner)

    do_erase_account(learner, request=None)

    assert client.get(WALLET).status_code == 302  # signed out: the account cannot sign in again
    assert queries.wallet_certificates(learner) == []
    assert queries.wallet_badges(learner) == []
    assert client.get(f"/certificates/{history.certificate.id}/").status_code == 404
