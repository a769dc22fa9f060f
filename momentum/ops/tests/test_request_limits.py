"""Request rates (per IP signed out, per account signed in, per admin on admin operations) and body sizes."""

from typing import Any

import pytest
from django.test import Client, RequestFactory

from momentum.accounts.models import User
from momentum.platform import request_limits
from momentum.platform.errors import bad_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    # windows are fixed: a burst that straddled a boundary would start afresh half-way through
    monkeypatch.setattr(request_limits, "_now", lambda: 1_800_000_030.0)
    settings.RATELIMIT_ANON = (3, 60)
    settings.RATELIMIT_USER = (5, 60)
    settings.RATELIMIT_ADMIN = (2, 60)
    return settings


def test_a_visitor_past_the_anonymous_rate_gets_a_429_page_with_retry_after(client: Client, tight: Any) -> None:
    statuses = [client.get("/privacy/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = client.get("/terms/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert b"Too many attempts" in response.content


def test_an_api_caller_past_the_rate_gets_problem_json(api: Any, tight: Any) -> None:
    for _ in range(3):
        api.get("/me")

    response = api.get("/me")

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "rate_limited"
    assert "Retry-After" in response


def test_signed_in_people_behind_one_address_each_have_their_own_budget(
    api_as: Any, tight: Any, learner: User, stranger: User
) -> None:
    first = [api_as(learner).get("/me").status_code for _ in range(6)]
    second = api_as(stranger).get("/me").status_code

    assert first == [200] * 5 + [429]
    assert second == 200


def test_a_browser_session_counts_against_the_account(client: Client, tight: Any, learner: User) -> None:
    client.force_login(learner)

    statuses = [client.get("/profile/").status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]


def test_admin_operations_have_their_own_budget(api_as: Any, tight: Any, admin: User) -> None:
    admin_api = api_as(admin)
    statuses = [admin_api.get("/admin/audit-logs").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert admin_api.get("/me").status_code == 200  # other operations are not admin operations


def test_admin_pages_share_the_admin_budget(client: Client, tight: Any, admin: User) -> None:
    client.force_login(admin)

    statuses = [client.get("/studio/audit/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@pytest.fixture
def shared_store_trips(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The batches this process adds to the shared counters (each a cache round trip)."""
    monkeypatch.setattr(request_limits, "_now", lambda: 1_800_000_030.0)
    trips: list[int] = []
    count = request_limits._count

    def counted(key: str, ttl: int, delta: int = 1) -> int:
        trips.append(delta)
        return count(key, ttl, delta)

    monkeypatch.setattr(request_limits, "_count", counted)
    return trips


def test_an_account_within_a_generous_rate_costs_a_round_trip_per_hundredth_of_it(
    shared_store_trips: list[int],
) -> None:
    # 600 a minute: the process adds its count to the shared store every 6 requests, not at each
    answers = [request_limits.consume("user", "42", (600, 60)) for _ in range(30)]

    assert answers == [None] * 30
    assert shared_store_trips == [6] * 5


def test_a_process_refuses_within_one_batch_once_other_processes_have_spent_the_budget(
    shared_store_trips: list[int],
) -> None:
    # given the other web processes counted the whole minute's budget in the shared store
    window = 1_800_000_030 // 60
    request_limits._count(f"ratelimit:user:42:{window}", 61, 600)

    answers = [request_limits.consume("user", "42", (600, 60)) for _ in range(9)]

    # this process lets through less than a batch, learns the count at its first sync, then refuses
    assert answers[:5] == [None] * 5
    assert all(answer is not None and 1 <= answer <= 60 for answer in answers[5:])
    assert shared_store_trips == [600, 6]  # refusing needs no further round trip


def test_probes_and_static_files_are_never_limited(client: Client, tight: Any) -> None:
    statuses = {client.get("/healthz").status_code for _ in range(5)}
    statuses |= {client.get("/static/css/momentum.css").status_code for _ in range(5)}

    assert statuses == {200}


def test_an_api_body_over_the_limit_is_refused_before_it_is_read(api: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = api.post("/auth/register", {"email": "a@example.com", "password": "x" * 2000})

    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_a_form_over_the_limit_gets_a_clear_page(client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = client.post("/accounts/login/", {"login": "a@example.com", "password": "x" * 2000})

    assert response.status_code == 413
    assert b"That was too large to send" in response.content


def test_a_body_that_outgrows_the_limit_while_read_is_a_413_too(rf: RequestFactory) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import RequestDataTooBig

    page = rf.post("/accounts/login/")
    page.user = AnonymousUser()
    assert bad_request(page, RequestDataTooBig("too big")).status_code == 413
    assert (
        bad_request(rf.post("/api/v1/auth/token"), RequestDataTooBig("too big"))["Content-Type"]
        == "application/problem+json"
    )
