"""Housekeeping runs as a real workflow: idempotency records expire after a day."""

from datetime import timedelta

import pytest
from dbos import DBOS
from django.utils import timezone

from momentum.ops import workflows as housekeeping
from momentum.platform import durable
from momentum.platform.models import IdempotencyRecord


def test_expired_idempotency_records_are_purged_and_fresh_ones_kept(workflows: None, learner) -> None:
    IdempotencyRecord.objects.create(user=learner, scope="checkout", key="old", request_hash="x")
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))
    IdempotencyRecord.objects.create(user=learner, scope="checkout", key="new", request_hash="x")

    workflow_id = durable.enqueue(housekeeping.hourly_housekeeping, timezone.now(), None, queue="maintenance")

    assert DBOS.retrieve_workflow(workflow_id).get_result() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


pytestmark = pytest.mark.django_db(transaction=True)
