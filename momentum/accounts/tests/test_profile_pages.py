"""The account's pages: profile, security, privacy and data; the legal pages and the cookie notice."""

from typing import Any

import pytest
from django.test import Client

from momentum.accounts.models import RefreshToken, User
from momentum.audit.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: Client, learner: User) -> Client:
    client.force_login(learner)
    return client


PROFILE = {"display_name": "Lee L.", "timezone": "Asia/Kolkata", "reminder_emails": "", "age_range": "25_34",
           "gender": "", "country": "in", "education": "master", "occupation": "Teacher"}  # fmt: skip


@pytest.mark.parametrize("path", ["/profile/", "/profile/security/", "/profile/privacy/"])
def test_account_pages_send_a_visitor_to_sign_in(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path.replace('/', '%2F')}"


def test_the_profile_page_saves_name_time_zone_and_demographics(signed_in: Client, learner: User) -> None:
    response = signed_in.post("/profile/", PROFILE)

    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.display_name, learner.timezone, learner.country, learner.reminder_emails) == (
        "Lee L.", "Asia/Kolkata", "IN", False,
    )  # fmt: skip
    assert AuditLog.objects.filter(action="account.updated", subject=learner).exists()


def test_a_rejected_profile_keeps_what_was_typed_and_says_why(signed_in: Client, learner: User) -> None:
    response = signed_in.post("/profile/", {**PROFILE, "country": "India"})

    assert response.status_code == 422
    page = response.content.decode()
    assert "Use the two-letter country code" in page
    assert 'value="Lee L."' in page
    assert 'value="India"' in page
    learner.refresh_from_db()
    assert learner.display_name == "Lee Learner"


def test_the_profile_page_shows_the_account_menu(signed_in: Client) -> None:
    page = signed_in.get("/profile/").content.decode()

    assert 'aria-label="Your account"' in page
    assert 'href="/profile/security/"' in page
    assert 'href="/profile/privacy/"' in page


def test_the_security_page_links_password_email_and_two_factor(signed_in: Client) -> None:
    page = signed_in.get("/profile/security/").content.decode()

    for link in ("/accounts/password/change/", "/accounts/email/", "/accounts/2fa/"):
        assert f'href="{link}"' in page


def test_signing_out_of_all_apps_revokes_every_refresh_token(signed_in: Client, learner: User, sign_in: Any) -> None:
    sign_in(learner)
    sign_in(learner)

    response = signed_in.post("/profile/security/end-app-sessions/")

    assert response.status_code == 302
    assert not RefreshToken.objects.filter(user=learner, revoked_at__isnull=True).exists()


def test_the_privacy_page_offers_export_and_deletion(signed_in: Client) -> None:
    page = signed_in.get("/profile/privacy/").content.decode()

    assert 'action="/profile/privacy/export/"' in page
    assert 'action="/profile/privacy/delete/"' in page


@pytest.mark.parametrize("path", ["/privacy/", "/terms/"])
def test_the_legal_pages_are_public(client: Client, path: str) -> None:
    assert client.get(path).status_code == 200


@pytest.fixture
def optional_cookie(settings: Any) -> None:
    """The site is configured to set one optional cookie, so visitors have a choice to make."""
    settings.CONSENT_OPTIONAL_COOKIES = {"_visits": "counting visits to improve the courses"}


def test_without_optional_cookies_no_cookie_notice_asks_anything(client: Client) -> None:
    page = client.get("/privacy/").content.decode()

    assert 'id="cookie-notice"' not in page
    assert "no optional ones, so there is nothing to choose" in page


def test_without_optional_cookies_the_privacy_settings_offer_no_choice(signed_in: Client) -> None:
    page = signed_in.get("/profile/privacy/").content.decode()

    assert "Allow optional cookies" not in page
    assert "We set no optional cookies, so there is nothing to choose." in page


@pytest.mark.usefixtures("optional_cookie")
def test_with_an_optional_cookie_the_privacy_pages_name_it_and_offer_the_choice(signed_in: Client) -> None:
    policy = signed_in.get("/privacy/").content.decode()
    settings_page = signed_in.get("/profile/privacy/").content.decode()

    assert "<code>_visits</code>: counting visits to improve the courses" in policy
    assert "Allow optional cookies" in settings_page


@pytest.mark.usefixtures("optional_cookie")
def test_the_cookie_notice_shows_until_a_choice_is_made(client: Client) -> None:
    page = client.get("/privacy/").content.decode()
    assert 'id="cookie-notice"' in page
    assert "may we set optional ones (counting visits to improve the courses)?" in page

    response = client.post("/cookies/", {"choice": "essential", "next": "/terms/"})

    assert response.status_code == 302
    assert response["Location"] == "/terms/"
    assert response.cookies["momentum_consent"].value == "essential"
    assert response.cookies["momentum_consent"]["httponly"]
    assert b'id="cookie-notice"' not in client.get("/privacy/").content


def test_before_consent_only_essential_cookies_are_set(client: Client) -> None:
    response = client.get("/")

    assert set(response.cookies) <= {"csrftoken", "sessionid", "messages"}


def test_the_cookie_choice_by_htmx_removes_the_notice_in_place(client: Client) -> None:
    response = client.post("/cookies/", {"choice": "all"}, HTTP_HX_REQUEST="true")

    assert (response.status_code, response.content) == (200, b"")
    assert response.cookies["momentum_consent"].value == "all"


def test_the_cookie_choice_never_redirects_off_site(client: Client) -> None:
    response = client.post("/cookies/", {"choice": "essential", "next": "https://evil.example/"})

    assert response["Location"] == "/"
