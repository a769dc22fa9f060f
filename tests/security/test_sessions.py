"""Session fixation and session lifetime: the session key changes on sign-in (password and
second-factor flows) and on a password change; a change of admin rights, a password change
elsewhere and signing out end the sessions they should."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client

from momentum.accounts.admin_actions import do_change_user_role
from momentum.accounts.models import Role
from tests.factories import PASSWORD
from tests.test_access_matrix import World

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Violet-harbour-lights-93"


def planted_session(client: Client) -> str:
    """An attacker-known session key, planted in the browser before the victim signs in."""
    session = client.session
    session["planted"] = True
    session.save()
    client.cookies["sessionid"] = str(session.session_key)
    return str(session.session_key)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_signing_in_gives_a_new_session_key(world: World) -> None:
    browser = Client()
    planted = planted_session(browser)

    browser.post("/accounts/login/", {"login": world.owner.email, "password": PASSWORD})

    assert signed_in(browser)
    assert browser.session.session_key != planted
    attacker = Client()
    attacker.cookies["sessionid"] = planted
    assert attacker.get("/profile/").status_code == 302  # the planted key is not signed in


def test_signing_in_with_a_second_factor_gives_a_new_session_key(world: World) -> None:
    secret = generate_totp_secret()
    TOTP.activate(world.owner, secret)
    browser = Client()
    planted = planted_session(browser)

    browser.post("/accounts/login/", {"login": world.owner.email, "password": PASSWORD})
    pending = browser.session.session_key
    assert not signed_in(browser)
    browser.post("/accounts/2fa/authenticate/", {"code": format_hotp_value(hotp_value(secret, int(time.time()) // 30))})

    assert signed_in(browser)
    assert browser.session.session_key not in (planted, pending)


def test_signing_out_ends_the_session(world: World) -> None:
    browser = Client()
    browser.post("/accounts/login/", {"login": world.owner.email, "password": PASSWORD})
    old_key = browser.session.session_key

    browser.post("/accounts/logout/")

    replay = Client()
    replay.cookies["sessionid"] = str(old_key)
    assert replay.get("/profile/").status_code == 302


def test_signing_out_tells_the_browser_to_forget_the_session_cookie(world: World) -> None:
    browser = Client()
    browser.post("/accounts/login/", {"login": world.owner.email, "password": PASSWORD})

    response = browser.post("/accounts/logout/")

    assert response.cookies["sessionid"]["max-age"] == 0
    assert not signed_in(browser)


@pytest.mark.parametrize("path", ["/sw.js", "/courses/", "/profile/"])
def test_a_request_sent_before_signing_in_and_answered_after_leaves_the_browser_signed_in(
    world: World, path: str
) -> None:
    """A browser sends requests side by side: its service worker's update check, a second tab. One
    sent with the session key of before a sign-in, and answered after the sign-in replaced that
    key, finds its session gone. Its answer must not delete the browser's session cookie, which by
    then holds the new, signed-in key (the learner journey lost its sign-in this way, 2026-12-07)."""
    browser = Client()
    before = planted_session(browser)  # a session of the signed-out browser (a sign-up in progress, say)
    browser.post("/accounts/login/", {"login": world.owner.email, "password": PASSWORD})
    assert signed_in(browser)

    late = Client()
    late.cookies["sessionid"] = before  # sent before the sign-in, answered after it
    answer = late.get(path)

    assert answer.status_code in (200, 302)
    assert "sessionid" not in answer.cookies  # the browser's cookie, the signed-in key, stays as it is


def test_changing_the_password_renews_this_session_and_ends_the_others(world: World) -> None:
    here, elsewhere = Client(), Client()
    for browser in (here, elsewhere):
        browser.post("/accounts/login/", {"login": world.owner.email, "password": PASSWORD})
    before = here.session.session_key

    response = here.post("/accounts/password/change/",
                         {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})  # fmt: skip

    assert response.status_code == 302
    assert here.get("/profile/").status_code == 200
    assert here.session.session_key != before
    assert elsewhere.get("/profile/").status_code == 302


@pytest.mark.parametrize(("start", "end"), [(Role.FREE, Role.ADMIN), (Role.ADMIN, Role.FREE)])
def test_gaining_or_losing_admin_rights_ends_the_accounts_sessions(world: World, start: Role, end: Role) -> None:
    person = world.stranger
    person.role = start
    person.save(update_fields=["role"])
    browser = Client()
    browser.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert browser.get("/profile/").status_code == 200

    do_change_user_role(person, end, actor=world.users["admin"])

    assert browser.get("/profile/").status_code == 302  # sign in again: a new session key


def test_becoming_premium_keeps_the_learner_signed_in(world: World) -> None:
    browser = Client()
    browser.post("/accounts/login/", {"login": world.owner.email, "password": PASSWORD})

    do_change_user_role(world.owner, Role.PREMIUM, actor=world.users["admin"])

    assert browser.get("/profile/").status_code == 200


def test_a_deactivated_account_is_signed_out(world: World) -> None:
    from momentum.accounts.admin_actions import do_set_user_active

    browser = Client()
    browser.post("/accounts/login/", {"login": world.owner.email, "password": PASSWORD})

    do_set_user_active(world.owner, False, actor=world.users["admin"])

    assert browser.get("/profile/").status_code == 302
