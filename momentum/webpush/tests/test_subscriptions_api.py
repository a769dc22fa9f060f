"""POST/DELETE /api/v1/me/push-subscriptions and GET /api/v1/push/public-key."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from conftest import ApiClient
from momentum.audit.models import AuditLog
from momentum.webpush.audit_actions import AuditAction
from momentum.webpush.models import PushSubscription
from momentum.webpush.tests.push_service import Browser

pytestmark = pytest.mark.django_db

ENDPOINT = "https://fcm.googleapis.com/fcm/send/c1Kx:APA91bH-some-long-registration"


def subscription_body(endpoint: str = ENDPOINT, browser: Browser | None = None) -> dict[str, Any]:
    browser = browser or Browser()
    return {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": browser.p256dh, "auth": browser.auth}}


def test_the_page_can_read_the_vapid_public_key(api: ApiClient) -> None:
    response = api.get("/push/public-key")

    assert response.status_code == 200
    body = response.json()
    assert body["enabled"] is True
    point = base64.urlsafe_b64decode(body["public_key"] + "==")
    assert len(point) == 65
    assert point[0] == 4  # an uncompressed P-256 point, as pushManager.subscribe wants


def test_a_deployed_site_without_a_vapid_key_says_push_is_off(api_as: Any, learner: Any, settings: Any) -> None:
    settings.DEPLOYED = True
    settings.VAPID_PRIVATE_KEY = ""

    assert api_as(learner).get("/push/public-key").json() == {"enabled": False, "public_key": None}
    refused = api_as(learner).post("/me/push-subscriptions", subscription_body())
    assert refused.status_code == 503
    assert refused.json()["code"] == "push_disabled"


def test_a_learner_subscribes_a_browser(api_as: Any, learner: Any) -> None:
    response = api_as(learner).post("/me/push-subscriptions", subscription_body())

    assert response.status_code == 201
    assert response.json()["push_service"] == "fcm.googleapis.com"
    assert PushSubscription.objects.get().user == learner
    assert AuditLog.objects.filter(action=AuditAction.PUSH_SUBSCRIBED, actor=learner).exists()


def test_subscribing_the_same_browser_again_is_the_same_subscription(api_as: Any, learner: Any) -> None:
    browser = Browser()
    first = api_as(learner).post("/me/push-subscriptions", subscription_body(browser=browser))
    again = api_as(learner).post("/me/push-subscriptions", subscription_body(browser=browser))

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert PushSubscription.objects.count() == 1


def test_a_browser_signed_in_to_another_account_moves_to_it(api_as: Any, learner: Any, stranger: Any) -> None:
    api_as(stranger).post("/me/push-subscriptions", subscription_body())

    api_as(learner).post("/me/push-subscriptions", subscription_body())

    assert list(PushSubscription.objects.values_list("user", flat=True)) == [learner.pk]


def test_a_learner_unsubscribes_a_browser(api_as: Any, learner: Any) -> None:
    api_as(learner).post("/me/push-subscriptions", subscription_body())

    gone = api_as(learner).delete("/me/push-subscriptions", {"endpoint": ENDPOINT})
    again = api_as(learner).delete("/me/push-subscriptions", {"endpoint": ENDPOINT})

    assert (gone.status_code, again.status_code) == (204, 404)
    assert not PushSubscription.objects.exists()
    assert AuditLog.objects.filter(action=AuditAction.PUSH_UNSUBSCRIBED).exists()


def test_nobody_can_unsubscribe_someone_elses_browser(api_as: Any, learner: Any, stranger: Any) -> None:
    api_as(learner).post("/me/push-subscriptions", subscription_body())

    response = api_as(stranger).delete("/me/push-subscriptions", {"endpoint": ENDPOINT})

    assert response.status_code == 404
    assert PushSubscription.objects.filter(user=learner).exists()


def test_subscribing_needs_an_account(api: ApiClient) -> None:
    response = api.post("/me/push-subscriptions", subscription_body())

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def _with_keys(**keys: str) -> dict[str, Any]:
    body = subscription_body()
    body["keys"].update(keys)
    return body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (subscription_body("ftp://push.example/abc"), "endpoint"),
        (subscription_body("https://" + "a" * 2100), "endpoint"),
        (_with_keys(p256dh=base64.urlsafe_b64encode(b"\x04" + b"x" * 63).decode().rstrip("=")), "p256dh"),
        (_with_keys(p256dh="!" * 87), "p256dh"),
        (_with_keys(auth=base64.urlsafe_b64encode(b"x" * 15).decode().rstrip("=")), "auth"),
        ({"endpoint": ENDPOINT}, "keys"),
    ],
    ids=["not-http", "too-long", "short-key", "not-base64", "short-auth", "no-keys"],
)
def test_a_malformed_subscription_is_refused_with_the_field_named(
    api_as: Any, learner: Any, body: dict[str, Any], field: str
) -> None:
    response = api_as(learner).post("/me/push-subscriptions", body)

    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert not PushSubscription.objects.exists()


def test_a_deployed_site_takes_only_https_push_services(api_as: Any, learner: Any, settings: Any) -> None:
    settings.PUSH_REQUIRE_HTTPS = True

    response = api_as(learner).post("/me/push-subscriptions", subscription_body("http://push.example/abc"))

    assert response.status_code == 422
    assert "https" in response.json()["detail"]


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://127.0.0.1:8443/push/abc",
        "https://localhost/push/abc",
        "https://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "https://10.0.0.5/admin/",
        "https://[::1]/push/abc",
        "https://intranet.corp/push/abc",
    ],
)
def test_a_push_endpoint_on_our_own_network_is_refused(api_as: Any, learner: Any, endpoint: str) -> None:
    response = api_as(learner).post("/me/push-subscriptions", subscription_body(endpoint))

    assert response.status_code == 422
    assert "endpoint" in response.json()["detail"]
    assert not PushSubscription.objects.exists()


def test_the_database_refuses_keys_of_the_wrong_size_and_a_second_row_for_an_endpoint(learner: Any) -> None:
    browser = Browser()
    with pytest.raises(IntegrityError), transaction.atomic():
        PushSubscription.objects.create(user=learner, endpoint=ENDPOINT, p256dh="short", auth=browser.auth)
    PushSubscription.objects.create(user=learner, endpoint=ENDPOINT, p256dh=browser.p256dh, auth=browser.auth)
    with pytest.raises(IntegrityError), transaction.atomic():
        PushSubscription.objects.create(user=learner, endpoint=ENDPOINT, p256dh=browser.p256dh, auth=browser.auth)
    with pytest.raises(IntegrityError), transaction.atomic():
        PushSubscription.objects.create(user=learner, endpoint="ws://x", p256dh=browser.p256dh, auth=browser.auth)
