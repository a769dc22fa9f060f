"""The policy layer: what each access level refuses, with which code, on pages and in the API."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from momentum.accounts.models import User
from momentum.accounts.policy import Access, caller, page_access, refusal
from momentum.accounts.tokens import issue_access_token
from momentum.lib.problems import Problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "access", "code"),
    [
        ("unverified_learner", Access.VERIFIED, "email_unverified"),
        ("learner", Access.PREMIUM, "premium_required"),
        ("premium_learner", Access.ADMIN, "admin_required"),
        ("learner", Access.ADMIN, "admin_required"),
        ("premium_learner", Access.COURSE_STAFF, "instructor_required"),
        ("learner", Access.COURSE_STAFF, "instructor_required"),
    ],
)
def test_refusals_carry_a_stable_code(request: Any, persona: str, access: Access, code: str) -> None:
    problem = refusal(request.getfixturevalue(persona), access)

    assert problem is not None
    assert (problem.status, problem.code) == (403, code)


@pytest.mark.parametrize(
    ("persona", "access"),
    [("unverified_learner", Access.AUTHENTICATED), ("learner", Access.VERIFIED), ("premium_learner", Access.PREMIUM),
     ("admin", Access.PREMIUM), ("admin", Access.ADMIN), ("unverified_learner", Access.OWNER),
     ("admin", Access.COURSE_STAFF)],
)  # fmt: skip
def test_qualifying_accounts_pass(request: Any, persona: str, access: Access) -> None:
    assert refusal(request.getfixturevalue(persona), access) is None


@page_access(Access.VERIFIED)
def enrol_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("enrolled")


def test_a_verified_page_sends_visitors_to_sign_in_and_back(rf: RequestFactory) -> None:
    request = rf.get("/courses/x/enrol/?from=card")
    request.user = AnonymousUser()

    response = enrol_page(request)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fcourses%2Fx%2Fenrol%2F%3Ffrom%3Dcard"


def test_a_verified_page_tells_an_unverified_learner_what_to_do(rf: RequestFactory, unverified_learner: User) -> None:
    request = rf.get("/courses/x/enrol/")
    request.user = unverified_learner

    response = enrol_page(request)

    assert response.status_code == 403
    assert b"Verify your email address first" in response.content


def test_an_expired_access_token_says_so(api: Any, learner: User) -> None:
    token = issue_access_token(learner, now=datetime.now(UTC) - timedelta(hours=1))

    response = api.get("/me", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert (response.status_code, response.json()["code"]) == (401, "invalid_token")
    assert response.json()["detail"] == "The access token has expired; refresh it."


def test_a_forged_access_token_is_not_accepted(api: Any, learner: User) -> None:
    import jwt

    forged = jwt.encode(
        {"sub": str(learner.pk), "aud": "momentum-api", "typ": "access", "iat": 0, "exp": 2**40},
        "a-guessed-signing-key-that-is-not-ours-0123",
        "HS256",
    )

    assert api.get("/me", HTTP_AUTHORIZATION=f"Bearer {forged}").status_code == 401


def test_a_session_needs_the_csrf_token_for_changes(learner: User) -> None:
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)

    response = browser.patch("/api/v1/me", {"display_name": "Changed"}, content_type="application/json")

    assert response.status_code == 403
    learner.refresh_from_db()
    assert learner.display_name == "Lee Learner"


def test_the_caller_of_a_signed_in_request_is_its_account(learner: User) -> None:
    request = RequestFactory().get("/")
    request.user = learner

    assert caller(request) == learner


def test_an_anonymous_request_has_no_caller_and_is_told_to_sign_in() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with pytest.raises(Problem) as refused:
        caller(request)

    assert (refused.value.status, refused.value.code) == (401, "not_authenticated")


def test_an_instructor_passes_course_staff_but_not_admin() -> None:
    from momentum.accounts.models import Role
    from tests.factories import make_user

    instructor = make_user("ines@example.com", role=Role.INSTRUCTOR)

    assert refusal(instructor, Access.COURSE_STAFF) is None
    assert refusal(instructor, Access.ADMIN) is not None
    assert refusal(instructor, Access.PREMIUM) is not None  # teaching is not a premium plan
