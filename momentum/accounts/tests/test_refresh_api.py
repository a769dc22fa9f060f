"""POST /auth/refresh rotates refresh tokens; a reused one revokes its whole family. POST /auth/logout."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from momentum.accounts.models import RefreshToken, User
from momentum.audit.models import AuditLog

pytestmark = pytest.mark.django_db


def test_refreshing_returns_a_new_pair_and_spends_the_old_token(api: Any, learner: User, sign_in: Any) -> None:
    first = sign_in(learner)

    response = api.post("/auth/refresh", {"refresh_token": first["refresh_token"]})

    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert api.get("/me", HTTP_AUTHORIZATION=f"Bearer {second['access_token']}").status_code == 200
    tokens = RefreshToken.objects.filter(user=learner).order_by("created_at")
    assert [t.used_at is not None for t in tokens] == [True, False]
    assert len({t.family for t in tokens}) == 1


def test_a_reused_refresh_token_is_refused_and_revokes_its_whole_family(api: Any, learner: User, sign_in: Any) -> None:
    # Given a token that was rotated twice (an attacker copied the first one)
    stolen = sign_in(learner)["refresh_token"]
    second = api.post("/auth/refresh", {"refresh_token": stolen}).json()["refresh_token"]
    third = api.post("/auth/refresh", {"refresh_token": second}).json()["refresh_token"]

    # When the stolen token is presented again
    reuse = api.post("/auth/refresh", {"refresh_token": stolen})

    # Then it is refused, and so is the owner's newest token: the family is gone
    assert reuse.status_code == 401
    assert reuse.json()["code"] == "token_reused"
    latest = api.post("/auth/refresh", {"refresh_token": third})
    assert latest.status_code == 401
    assert latest.json()["code"] == "token_revoked"
    assert not RefreshToken.objects.filter(user=learner, revoked_at__isnull=True).exists()
    assert AuditLog.objects.filter(action="auth.refresh_token_reused", subject=learner).exists()


def test_reuse_revokes_only_that_family(api: Any, learner: User, sign_in: Any) -> None:
    phone = sign_in(learner)["refresh_token"]
    laptop = sign_in(learner)["refresh_token"]
    api.post("/auth/refresh", {"refresh_token": phone})

    api.post("/auth/refresh", {"refresh_token": phone})

    assert api.post("/auth/refresh", {"refresh_token": laptop}).status_code == 200


def test_an_expired_refresh_token_is_refused(api: Any, learner: User, sign_in: Any) -> None:
    token = sign_in(learner)["refresh_token"]
    RefreshToken.objects.filter(user=learner).update(
        created_at=timezone.now() - timedelta(days=31), expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = api.post("/auth/refresh", {"refresh_token": token})

    assert (response.status_code, response.json()["code"]) == (401, "token_expired")


def test_an_unknown_refresh_token_is_refused(api: Any) -> None:
    response = api.post("/auth/refresh", {"refresh_token": "mrt_made-up"})

    assert (response.status_code, response.json()["code"]) == (401, "invalid_token")


def test_a_deactivated_account_cannot_refresh(api: Any, learner: User, sign_in: Any) -> None:
    token = sign_in(learner)["refresh_token"]
    User.objects.filter(pk=learner.pk).update(is_active=False)

    assert api.post("/auth/refresh", {"refresh_token": token}).status_code == 401


def test_logging_out_revokes_the_refresh_token(api: Any, api_as: Any, learner: User, sign_in: Any) -> None:
    pair = sign_in(learner)

    response = api.post(
        "/auth/logout", {"refresh_token": pair["refresh_token"]}, HTTP_AUTHORIZATION=f"Bearer {pair['access_token']}"
    )

    assert response.status_code == 204
    assert api.post("/auth/refresh", {"refresh_token": pair["refresh_token"]}).status_code == 401
    assert AuditLog.objects.filter(action="auth.signed_out", actor=learner).exists()


def test_logging_out_needs_a_signed_in_caller(api: Any, learner: User, sign_in: Any) -> None:
    pair = sign_in(learner)

    assert api.post("/auth/logout", {"refresh_token": pair["refresh_token"]}).status_code == 401


def test_nobody_can_log_out_someone_elses_refresh_token(
    api_as: Any, learner: User, stranger: User, sign_in: Any
) -> None:
    victim = sign_in(learner)

    response = api_as(stranger).post("/auth/logout", {"refresh_token": victim["refresh_token"]})

    assert response.status_code == 204  # the same answer, so nothing is learned about the token
    assert not RefreshToken.objects.filter(user=learner, revoked_at__isnull=False).exists()


def test_changing_the_password_ends_access_and_refresh_tokens(api: Any, learner: User, sign_in: Any) -> None:
    from momentum.accounts.actions import do_revoke_refresh_tokens

    pair = sign_in(learner)
    learner.set_password("a-brand-new-secret-5")
    learner.save()
    do_revoke_refresh_tokens(learner, reason="password_changed")

    assert api.get("/me", HTTP_AUTHORIZATION=f"Bearer {pair['access_token']}").status_code == 401
    assert api.post("/auth/refresh", {"refresh_token": pair["refresh_token"]}).status_code == 401
