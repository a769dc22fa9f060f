"""Failed sign-ins pause an account after 5 and an address after 50 (in 15 minutes), on the API and the page alike."""

from typing import Any

import pytest
from django.test import Client

from momentum.accounts.models import User
from momentum.accounts.tests.conftest import totp_code
from momentum.audit.models import AuditLog
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-1"


def fail(api: Any, email: str, times: int) -> list[int]:
    return [api.post("/auth/token", {"email": email, "password": WRONG}).status_code for _ in range(times)]


def test_after_five_failures_even_the_right_password_gets_429_with_retry_after(api: Any, learner: User) -> None:
    assert fail(api, learner.email, 5) == [401] * 5

    response = api.post("/auth/token", {"email": learner.email, "password": PASSWORD})

    assert response.status_code == 429
    assert response.json()["code"] == "too_many_attempts"
    assert 890 <= int(response["Retry-After"]) <= 900


def test_a_paused_account_is_paused_on_the_sign_in_page_too(api: Any, client: Client, learner: User) -> None:
    fail(api, learner.email, 5)

    response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_the_sign_in_page_pauses_after_five_failures(client: Client, learner: User) -> None:
    statuses = [
        client.post("/accounts/login/", {"login": learner.email, "password": WRONG}).status_code for _ in range(5)
    ]

    paused = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})

    assert statuses == [200] * 5
    assert paused.status_code == 429
    assert b"You can try again in about 15 minutes" in paused.content


def test_a_paused_account_does_not_pause_others_at_the_same_address(api: Any, learner: User, stranger: User) -> None:
    fail(api, learner.email, 5)

    assert api.post("/auth/token", {"email": stranger.email, "password": PASSWORD}).status_code == 200


def test_a_classroom_behind_one_address_can_sign_in_until_fifty_failures(api: Any) -> None:
    # Given 49 failed attempts from one address, spread over many accounts
    for index in range(49):
        assert fail(api, f"pupil{index}@example.com", 1) == [401]
    pupil = make_user("pupil@example.com")

    # Then a pupil with the right password still gets in; the 50th failure pauses the address
    assert api.post("/auth/token", {"email": pupil.email, "password": PASSWORD}).status_code == 200
    assert fail(api, "pupil50@example.com", 1) == [401]
    assert api.post("/auth/token", {"email": pupil.email, "password": PASSWORD}).status_code == 429


def test_a_successful_sign_in_does_not_count_as_a_failure(api: Any, learner: User) -> None:
    fail(api, learner.email, 4)
    api.post("/auth/token", {"email": learner.email, "password": PASSWORD})

    assert fail(api, learner.email, 1) == [401]


def test_wrong_second_factor_codes_pause_the_account(api: Any, learner: User, totp_secret: str) -> None:
    wrong = totp_code(totp_secret, offset=50)
    for _ in range(5):
        assert (
            api.post("/auth/token", {"email": learner.email, "password": PASSWORD, "otp_code": wrong}).status_code
            == 401
        )

    response = api.post(
        "/auth/token", {"email": learner.email, "password": PASSWORD, "otp_code": totp_code(totp_secret)}
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_a_paused_attempt_is_audited(api: Any, learner: User) -> None:
    fail(api, learner.email, 6)

    assert AuditLog.objects.filter(action="auth.sign_in_failed", subject=learner, metadata__reason="throttled").exists()
