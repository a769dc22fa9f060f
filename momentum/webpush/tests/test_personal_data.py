"""A learner's push data in the GDPR export and erasure, and the database rules of pushes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from momentum.accounts import gdpr
from momentum.webpush.actions import do_push
from momentum.webpush.models import PushMessage, PushSubscription
from momentum.webpush.tests.push_service import PushService

pytestmark = pytest.mark.django_db

PUSH = {"kind": "badge_awarded", "title": "Badge earned", "body": "Well done", "url": "/dashboard/"}


def test_the_export_lists_the_learners_devices_and_pushes_without_the_push_address(
    learner: Any, subscribe: Any, push_service: PushService
) -> None:
    subscription, _ = subscribe(learner)
    do_push(learner, **PUSH)

    exported = gdpr.export(learner)

    assert exported["push_subscriptions"] == [
        {"push_service": "127.0.0.1", "user_agent": "", "created_at": subscription.created_at.isoformat()}
    ]
    assert [m["title"] for m in exported["push_messages"]] == ["Badge earned"]
    assert subscription.endpoint not in str(exported)  # the endpoint is a capability, not the person's data


def test_erasing_the_account_removes_its_devices_and_pushes(
    learner: Any, subscribe: Any, push_service: PushService
) -> None:
    subscribe(learner)
    do_push(learner, **PUSH)

    gdpr.erase(learner)

    assert not PushSubscription.objects.filter(user=learner).exists()
    assert not PushMessage.objects.filter(user=learner).exists()


@pytest.mark.parametrize(
    "fields", [{"url": "//elsewhere.example/"}, {"url": "https://elsewhere.example/"}, {"kind": ""}]
)
def test_the_database_refuses_a_push_that_leads_off_the_site_or_names_no_kind(
    learner: Any, fields: dict[str, Any]
) -> None:
    values = {"kind": "x", "title": "t", "body": "b", "url": "/", "local_date": date(2026, 12, 7)} | fields
    with pytest.raises(IntegrityError), transaction.atomic():
        PushMessage.objects.create(user=learner, created_at=timezone.now(), **values)


def test_the_database_holds_one_push_per_learner_and_day(learner: Any) -> None:
    values = {"kind": "x", "title": "t", "body": "b", "url": "/", "local_date": date(2026, 12, 7)}
    PushMessage.objects.create(user=learner, created_at=timezone.now(), **values)

    with pytest.raises(IntegrityError), transaction.atomic():
        PushMessage.objects.create(user=learner, created_at=timezone.now(), **values)
