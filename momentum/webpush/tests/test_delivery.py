"""do_push against a real (local) push service that checks the VAPID signature and decrypts the
payload as a browser would: what arrives, and what each answer of the push service does."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from momentum.lib.clock import travel_to
from momentum.webpush import vapid
from momentum.webpush.actions import do_push, do_retry_due_deliveries
from momentum.webpush.models import DeliveryStatus, PushDelivery, PushMessage, PushSubscription
from momentum.webpush.tests.push_service import Answer, PushService

pytestmark = pytest.mark.django_db

PUSH = {"kind": "badge_awarded", "title": "Badge earned", "body": "First lesson done!", "url": "/dashboard/"}


def test_a_push_arrives_encrypted_for_the_browser_and_signed_by_the_site(
    learner: Any, subscribe: Any, push_service: PushService
) -> None:
    subscribe(learner)

    assert do_push(learner, **PUSH) is True

    assert push_service.refused == []
    [received] = push_service.received
    message = PushMessage.objects.get(user=learner)
    assert received.payload == {
        "kind": "badge_awarded",
        "title": "Badge earned",
        "body": "First lesson done!",
        "url": f"/push/open/{message.click_token}/",
    }
    assert received.vapid_key == vapid.public_key()
    assert received.claims["aud"] == push_service.origin
    assert received.claims["sub"] == "mailto:no-reply@momentum.localhost"
    assert received.headers["content-encoding"] == "aes128gcm"
    assert PushDelivery.objects.get(message=message).status == DeliveryStatus.DELIVERED


def test_a_push_endpoint_whose_host_turns_inward_is_never_posted_to(
    learner: Any, subscribe: Any, push_service: PushService, settings: Any
) -> None:
    subscribe(learner)  # saved while the local service was allowed
    settings.ALLOW_PRIVATE_PUSH_ENDPOINTS = False  # its host now resolves to a loopback address

    do_push(learner, **PUSH)

    assert push_service.received == []
    assert push_service.refused == []
    delivery = PushDelivery.objects.get()
    assert delivery.status == DeliveryStatus.GONE
    assert "non-public address" in delivery.last_error
    assert not PushSubscription.objects.exists()


def test_every_browser_of_the_learner_gets_the_push(learner: Any, subscribe: Any, push_service: PushService) -> None:
    subscribe(learner)
    subscribe(learner)

    do_push(learner, **PUSH)

    assert len({received.path for received in push_service.received}) == 2


def test_a_learner_without_a_subscription_gets_no_push(learner: Any) -> None:
    assert do_push(learner, **PUSH) is False
    assert not PushMessage.objects.exists()


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_says_is_gone_is_deleted(
    learner: Any, subscribe: Any, push_service: PushService, status: int
) -> None:
    subscription, _ = subscribe(learner)
    push_service.answer_next(Answer(status=status))

    assert do_push(learner, **PUSH) is False

    assert not PushSubscription.objects.filter(pk=subscription.pk).exists()
    assert PushDelivery.objects.get().status == DeliveryStatus.GONE


@pytest.mark.parametrize(
    "answer",
    [Answer(status=429, headers={"Retry-After": "120"}), Answer(status=503), Answer(status=500)],
    ids=["429", "503", "500"],
)
def test_a_busy_push_service_gets_the_push_again_later_and_nothing_is_lost(
    learner: Any, subscribe: Any, push_service: PushService, answer: Answer
) -> None:
    subscribe(learner)
    push_service.answer_next(answer)
    start = timezone.now()

    with travel_to(start):
        assert do_push(learner, **PUSH) is True  # waiting for its retry
    delivery = PushDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.PENDING, 1, answer.status)
    assert push_service.received == []

    assert do_retry_due_deliveries(start + timedelta(seconds=30)) == 0  # not yet: Retry-After or back-off
    assert do_retry_due_deliveries(start + timedelta(minutes=5)) == 1

    [received] = push_service.received
    assert received.payload["title"] == "Badge earned"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)


def test_a_push_service_that_does_not_answer_in_time_gets_the_push_again_later(
    learner: Any, subscribe: Any, push_service: PushService, settings: Any
) -> None:
    settings.PUSH_TIMEOUT_SECONDS = 0.3
    subscribe(learner)
    push_service.answer_next(Answer(hang=True))
    start = timezone.now()

    with travel_to(start):
        assert do_push(learner, **PUSH) is True
    delivery = PushDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert "Timeout" in delivery.last_error or "timed out" in delivery.last_error

    assert do_retry_due_deliveries(start + timedelta(minutes=5)) == 1
    assert len(push_service.received) == 1


def test_a_push_still_refused_when_it_is_stale_is_given_up(
    learner: Any, subscribe: Any, push_service: PushService
) -> None:
    subscribe(learner)
    push_service.answer_next(*[Answer(status=503)] * 20)
    start = timezone.now()
    with travel_to(start):
        do_push(learner, **PUSH)

    moment = start
    for _ in range(12):
        moment += timedelta(hours=1)
        do_retry_due_deliveries(moment)

    delivery = PushDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.next_attempt_at is None


def test_two_workers_retrying_at_once_send_a_delivery_once(
    learner: Any, subscribe: Any, push_service: PushService
) -> None:
    subscribe(learner)
    push_service.answer_next(Answer(status=503))
    start = timezone.now()
    with travel_to(start):
        do_push(learner, **PUSH)
    later = start + timedelta(minutes=5)

    first = do_retry_due_deliveries(later)
    second = do_retry_due_deliveries(later)

    assert (first, second) == (1, 0)
    assert len(push_service.received) == 1


def test_without_a_vapid_key_a_deployed_site_sends_no_push(
    learner: Any, subscribe: Any, push_service: PushService, settings: Any
) -> None:
    subscribe(learner)
    settings.DEPLOYED = True
    settings.VAPID_PRIVATE_KEY = ""

    assert do_push(learner, **PUSH) is False
    assert push_service.received == []


def test_a_configured_vapid_key_signs_the_pushes(
    learner: Any, subscribe: Any, push_service: PushService, settings: Any
) -> None:
    pair = vapid.generate_key_pair()
    settings.VAPID_PRIVATE_KEY = pair.private_pem
    subscribe(learner)

    do_push(learner, **PUSH)

    assert push_service.received[0].vapid_key == pair.public_key


@pytest.mark.parametrize("url", ["https://elsewhere.example/", "//elsewhere.example/", "dashboard/"])
def test_a_push_only_ever_opens_a_page_of_this_site(learner: Any, subscribe: Any, url: str) -> None:
    subscribe(learner)

    with pytest.raises(ValueError, match="a path"):
        do_push(learner, **{**PUSH, "url": url})
