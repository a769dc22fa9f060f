"""The admin's list of generation jobs."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.catalog.models import Category
from momentum.generation.models import GenerationJob, JobStatus

pytestmark = pytest.mark.django_db


def test_an_admin_lists_only_the_jobs_of_a_status(admin: Any, api_as: Any) -> None:
    category = Category.objects.first() or Category.objects.create(name="Cooking", slug="cooking")
    for topic, status in [("Bread", JobStatus.SUCCEEDED), ("Knives", JobStatus.FAILED), ("Soup", JobStatus.FAILED)]:
        GenerationJob.objects.create(created_by=admin, topic=topic, category=category, duration_days=7, status=status)

    failed = api_as(admin).get("/generation-jobs?status=FAILED").json()
    every = api_as(admin).get("/generation-jobs").json()

    assert sorted(job["topic"] for job in failed["items"]) == ["Knives", "Soup"]
    assert failed["count"] == 2
    assert every["count"] == 3
