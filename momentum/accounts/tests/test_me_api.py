"""GET and PATCH /me: the caller's own account, validated like the profile page."""

from typing import Any

import pytest

from momentum.accounts.models import User
from momentum.audit.models import AuditLog

pytestmark = pytest.mark.django_db


def test_me_describes_the_caller(api_as: Any, learner: User) -> None:
    body = api_as(learner).get("/me").json()

    assert {k: body[k] for k in ("id", "email", "display_name", "role", "email_verified", "mfa_enabled")} == {
        "id": learner.pk, "email": learner.email, "display_name": "Lee Learner", "role": "FREE",
        "email_verified": True, "mfa_enabled": False,
    }  # fmt: skip
    assert body["created_at"]


def test_me_reports_two_factor(api_as: Any, learner: User, totp_secret: str) -> None:
    assert api_as(learner).get("/me").json()["mfa_enabled"] is True


def test_me_needs_a_signed_in_caller(api: Any) -> None:
    response = api.get("/me")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_patching_me_changes_name_and_demographics(api_as: Any, learner: User) -> None:
    response = api_as(learner).patch(
        "/me",
        {
            "display_name": "Lee L.",
            "timezone": "Europe/Berlin",
            "demographics": {"country": "de", "age_range": "25_34"},
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["display_name"], body["timezone"], body["demographics"]["country"]) == (
        "Lee L.",
        "Europe/Berlin",
        "DE",
    )
    learner.refresh_from_db()
    assert (learner.age_range, learner.country) == ("25_34", "DE")
    event = AuditLog.objects.get(action="account.updated")
    assert event.metadata == {"fields": ["age_range", "country", "display_name", "timezone"]}


def test_patching_me_leaves_fields_not_sent(api_as: Any, learner: User) -> None:
    api_as(learner).patch("/me", {"reminder_emails": False})

    learner.refresh_from_db()
    assert (learner.display_name, learner.reminder_emails) == ("Lee Learner", False)


@pytest.mark.parametrize(
    "change",
    [
        {"timezone": "Mars/Olympus"},
        {"demographics": {"age_range": "ancient"}},
        {"demographics": {"country": "Germany"}},
    ],
    ids=["time-zone", "age-range", "country"],
)
def test_patching_me_with_an_invalid_value_changes_nothing(api_as: Any, learner: User, change: dict[str, Any]) -> None:
    response = api_as(learner).patch("/me", change)

    assert response.status_code == 422
    assert response.json()["errors"]
    learner.refresh_from_db()
    assert (learner.timezone, learner.age_range, learner.country) == ("UTC", "", "")


def test_patching_me_cannot_change_role_or_email(api_as: Any, learner: User) -> None:
    api_as(learner).patch("/me", {"role": "ADMIN", "email": "boss@example.com", "email_verified": True})

    learner.refresh_from_db()
    assert (learner.role, learner.email) == ("FREE", "lee.learner@example.com")
