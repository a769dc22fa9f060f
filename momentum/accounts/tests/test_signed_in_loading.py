"""How every signed-in request finds its person (the session, the bearer token, the user: plain
SQL, momentum/accounts/sessions.py and models.by_id) and where it must find nobody."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from momentum.accounts.models import User
from momentum.accounts.tokens import issue_access_token
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_signed_in_browser_stays_signed_in_from_page_to_page() -> None:
    browser = Client()
    browser.force_login(make_user("pat@example.com", display_name="Pat"))

    for _ in range(2):
        assert browser.get("/profile/").status_code == 200


def test_an_expired_session_signs_nobody_in() -> None:
    browser = Client()
    browser.force_login(make_user("pat@example.com"))
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = browser.get("/profile/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_session_whose_account_is_deactivated_or_gone_signs_nobody_in() -> None:
    kept, gone = Client(), Client()
    pat, sam = make_user("pat@example.com"), make_user("sam@example.com")
    kept.force_login(pat)
    gone.force_login(sam)

    User.objects.filter(pk=pat.pk).update(is_active=False)
    User.objects.filter(pk=sam.pk).delete()

    assert kept.get("/profile/").status_code == 302
    assert gone.get("/profile/").status_code == 302


def test_a_bearer_token_of_a_deactivated_account_is_refused() -> None:
    pat = make_user("pat@example.com")
    token = issue_access_token(pat)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me").status_code == 200

    User.objects.filter(pk=pat.pk).update(is_active=False)

    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me").status_code == 401


def test_looking_an_account_up_by_id_finds_it_or_says_it_does_not_exist() -> None:
    pat = make_user("pat@example.com", display_name="Pat")

    assert User.objects.get(pk=pat.pk).display_name == "Pat"
    assert User.objects.get(pk=str(pat.pk)).email == "pat@example.com"
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=pat.pk + 1000)
