"""Fixtures of the web push tests: a local push service that checks and decrypts what it receives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from momentum.webpush.actions import do_subscribe
from momentum.webpush.models import PushSubscription
from momentum.webpush.tests.push_service import Browser, PushService


@pytest.fixture
def push_service(settings: Any) -> Iterator[PushService]:
    settings.ALLOW_PRIVATE_PUSH_ENDPOINTS = True  # it listens on 127.0.0.1
    service = PushService()
    yield service
    service.stop()


@pytest.fixture
def subscribe(push_service: PushService) -> Any:
    """subscribe(user) -> (subscription, browser): a browser of ``user`` subscribed at the local service."""

    def make(user: Any) -> tuple[PushSubscription, Browser]:
        endpoint, browser = push_service.subscribe()
        subscription, _ = do_subscribe(user, endpoint=endpoint, p256dh=browser.p256dh, auth=browser.auth)
        return subscription, browser

    return make
