"""The platform names no app: what it needs from one (a meter, a bearer-token reader) is installed at ready."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from momentum.platform import meters, request_limits
from momentum.platform.middleware import RequestIDMiddleware


class RecordingMeter(meters.Meter):
    def __init__(self) -> None:
        self.heard: list[tuple[Any, ...]] = []

    def http_in_flight(self, change: int) -> None:
        self.heard.append(("in flight", change))

    def http_answered(self, method: str, route: str, status: int, seconds: float) -> None:
        self.heard.append(("answered", method, route, status))


@pytest.fixture
def installed_meter() -> Iterator[RecordingMeter]:
    before = meters.meter()
    recording = RecordingMeter()
    meters.install(recording)
    yield recording
    meters.install(before)


@pytest.fixture
def no_meter() -> Iterator[None]:
    before = meters.meter()
    meters.install(None)
    yield
    meters.install(before)


def no_content(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=204)


def test_the_installed_meter_hears_every_answered_request(installed_meter: RecordingMeter, rf: RequestFactory) -> None:
    RequestIDMiddleware(no_content)(rf.get("/anywhere/"))

    assert installed_meter.heard == [("in flight", 1), ("answered", "GET", "<unmatched>", 204), ("in flight", -1)]


def test_without_a_meter_requests_are_answered_and_counted_nowhere(no_meter: None, rf: RequestFactory) -> None:
    response = RequestIDMiddleware(no_content)(rf.get("/anywhere/"))

    assert response.status_code == 204
    assert response["X-Request-ID"]


@pytest.fixture
def one_request_a_minute(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(request_limits, "_now", lambda: 1_800_000_030.0)
    settings.RATELIMIT_ANON = (1, 60)
    settings.RATELIMIT_USER = (1, 60)
    cache.clear()
    yield
    cache.clear()


def bearer_request(rf: RequestFactory, token: str) -> HttpRequest:
    request = rf.get("/api/v1/courses", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR="203.0.113.7")
    request.user = AnonymousUser()
    return request


@pytest.fixture
def token_reader() -> Iterator[None]:
    """The reader accounts installed, put back after the test installs its own."""
    installed = list(request_limits._token_readers)
    yield
    request_limits.read_bearer_tokens_with(installed[0] if installed else None)


def test_bearer_callers_count_per_account_once_a_token_reader_is_installed(
    one_request_a_minute: None, token_reader: None, rf: RequestFactory
) -> None:
    request_limits.read_bearer_tokens_with(lambda token: token.removeprefix("for-"))
    limited = request_limits.RateLimitMiddleware(no_content)

    statuses = [limited(bearer_request(rf, token)).status_code for token in ("for-ada", "for-bob", "for-ada")]

    assert statuses == [204, 204, 429]


def test_without_a_token_reader_bearer_callers_count_by_their_address(
    one_request_a_minute: None, token_reader: None, rf: RequestFactory
) -> None:
    request_limits.read_bearer_tokens_with(None)
    limited = request_limits.RateLimitMiddleware(no_content)

    statuses = [limited(bearer_request(rf, token)).status_code for token in ("for-ada", "for-bob")]

    assert statuses == [204, 429]
