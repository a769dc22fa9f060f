"""An instructor generates courses within their own daily quota and budget, sees only their own jobs
and grounds them only in the PDFs they uploaded; the course a job makes is theirs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT as MULTIPART

from momentum.accounts.models import Role, User
from momentum.catalog.models import Category
from momentum.generation.models import GenerationJob, ProviderCall
from momentum.generation.tests.pdfs import text_pdf
from momentum.generation.tests.pipeline import job_body
from momentum.sitesettings.models import SiteSettings
from tests.factories import make_user

pytestmark = pytest.mark.django_db

TEXT = "Espresso needs finely ground coffee, hot water at nine bar and about thirty seconds. " * 8


@pytest.fixture
def instructor(db: None) -> User:
    return make_user("ines@example.com", role=Role.INSTRUCTOR)


@pytest.fixture
def other_instructor(db: None) -> User:
    return make_user("otto@example.com", role=Role.INSTRUCTOR)


def _job_of(user: User, topic: str = "Sleep") -> GenerationJob:
    return GenerationJob.objects.create(
        created_by=user, topic=topic, category=Category.objects.earliest("pk"), duration_days=7
    )


def test_an_instructor_starts_a_generation_job(
    instructor: User, api_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        response = api_as(instructor).post("/generation-jobs", job_body())

    assert response.status_code == 202
    assert GenerationJob.objects.get(pk=response.json()["id"]).created_by == instructor


def test_past_their_own_daily_quota_an_instructor_gets_generation_quota_exceeded(
    instructor: User, admin: User, api_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    SiteSettings.objects.update_or_create(
        id=1, defaults={"instructor_generation_daily_quota": 1, "generation_daily_quota": 5}
    )
    with django_capture_on_commit_callbacks(execute=False):
        first = api_as(instructor).post("/generation-jobs", job_body(topic="One"))
        second = api_as(instructor).post("/generation-jobs", job_body(topic="Two"))
        admins = api_as(admin).post("/generation-jobs", job_body(topic="Three"))

    assert first.status_code == 202
    assert (second.status_code, second.json()["code"]) == (429, "generation_quota_exceeded")
    assert "per instructor (1)" in second.json()["detail"]
    assert "Retry-After" in second
    assert admins.status_code == 202  # the admins' quota is another one


def test_once_their_own_budget_is_spent_an_instructor_gets_generation_budget_exhausted(
    instructor: User, other_instructor: User, api_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    SiteSettings.objects.update_or_create(id=1, defaults={"instructor_generation_daily_budget_usd": Decimal("2.00")})
    ProviderCall.objects.create(
        job=_job_of(instructor), kind="text", provider="anthropic", operation="outline", cost_usd=Decimal("2.10")
    )

    with django_capture_on_commit_callbacks(execute=False):
        spent = api_as(instructor).post("/generation-jobs", job_body())
        other = api_as(other_instructor).post("/generation-jobs", job_body())

    assert (spent.status_code, spent.json()["code"]) == (429, "generation_budget_exhausted")
    assert "Your AI generation budget for today is spent ($2.10 of $2.00)" in spent.json()["detail"]
    assert other.status_code == 202  # one instructor's spending is not another's


def test_an_instructor_lists_only_their_own_jobs(
    instructor: User, other_instructor: User, admin: User, api_as: Any
) -> None:
    mine, theirs = _job_of(instructor, "Mine"), _job_of(other_instructor, "Theirs")

    listed = api_as(instructor).get("/generation-jobs").json()
    everything = api_as(admin).get("/generation-jobs").json()

    assert [item["id"] for item in listed["items"]] == [str(mine.pk)]
    assert {item["id"] for item in everything["items"]} == {str(mine.pk), str(theirs.pk)}


def test_another_instructors_job_is_not_found(instructor: User, other_instructor: User, api_as: Any) -> None:
    theirs = _job_of(other_instructor)

    assert api_as(instructor).get(f"/generation-jobs/{theirs.pk}").status_code == 404
    assert api_as(instructor).post(f"/generation-jobs/{theirs.pk}/cancel").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "QUEUED"


def test_an_instructor_cannot_ground_a_job_in_someone_elses_pdf(
    instructor: User, other_instructor: User, api_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("espresso.pdf", text_pdf([TEXT]), content_type="application/pdf")
    theirs = api_as(other_instructor).post("/reference-documents", {"file": upload}, content_type=MULTIPART)
    assert theirs.status_code == 201, theirs.content

    with django_capture_on_commit_callbacks(execute=False):
        response = api_as(instructor).post("/generation-jobs", job_body(reference_document_ids=[theirs.json()["id"]]))
        own = api_as(other_instructor).post("/generation-jobs", job_body(reference_document_ids=[theirs.json()["id"]]))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reference_document_ids"
    assert own.status_code == 202
