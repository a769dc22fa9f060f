"""In Chromium: the generation pages say what an admin needs to know. A job's page drops
"Cancel job" as soon as the job ends while it is open, and shows each step's time in seconds;
the form asks for a category instead of choosing one; the quota line says what is used and left."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from momentum.catalog.models import Category
from momentum.generation import actions
from momentum.generation.models import GenerationJob, GenerationStep, JobStatus, StepStatus
from momentum.sitesettings.queries import site_settings
from tests.e2e.test_studio_authoring import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def running_job(admin: Any) -> GenerationJob:
    """A job the page sees running (no worker picks it up: the test moves it along itself)."""
    job = GenerationJob.objects.create(
        created_by=admin, topic="Calm mornings", category=Category.objects.get(slug="health-wellness"),
        duration_days=7, status=JobStatus.RUNNING, started_at=timezone.now(),
    )  # fmt: skip
    GenerationStep.objects.bulk_create(
        GenerationStep(job=job, name=name, position=position) for position, name in enumerate(actions.step_names(7))
    )
    return job


def test_cancel_job_goes_away_when_the_job_ends_while_its_page_is_open(
    page: Any, live_server: Any, admin: Any, screenshot: Any
) -> None:
    job = running_job(admin)
    sign_in(page, live_server, admin)
    page.goto(f"/studio/generate/jobs/{job.pk}/")
    cancel = page.get_by_role("button", name="Cancel job")
    assert cancel.is_visible()

    # the job ends; the page, left open, follows
    now = timezone.now()
    job.steps.filter(name="validate").update(
        status=StepStatus.SUCCEEDED, started_at=now - timedelta(seconds=4.2), finished_at=now, attempts=1
    )
    job.steps.filter(name="outline").update(
        status=StepStatus.SUCCEEDED, started_at=now - timedelta(seconds=72), finished_at=now, attempts=1
    )
    actions.do_finish_job(str(job.pk), JobStatus.FAILED, error="The text provider is unreachable.")
    page.locator(".job-status[data-status='FAILED']").wait_for()

    cancel.wait_for(state="detached")
    assert page.get_by_role("button", name="Retry from the failed step").is_visible()
    assert page.locator("tr[data-step='validate'] td").nth(4).inner_text() == "4 s"
    assert page.locator("tr[data-step='outline'] td").nth(4).inner_text() == "1 min 12 s"
    screenshot(page, "job-ended")
    assert page.js_errors == []


def test_the_generate_form_asks_for_a_category_and_counts_the_jobs_used_and_left(
    page: Any, live_server: Any, admin: Any, screenshot: Any
) -> None:
    row = site_settings()
    row.generation_daily_quota = 10
    row.save()
    for _ in range(7):
        running_job(admin)
    sign_in(page, live_server, admin)

    page.goto("/studio/generate/")

    assert page.get_by_text("7 of 10 generation jobs used today, 3 left.").is_visible()
    category = page.get_by_label("Category")
    assert category.input_value() == ""
    assert category.locator("option:checked").inner_text() == "Choose…"
    page.get_by_label("Topic").fill("Calm mornings")
    page.get_by_role("button", name="Generate draft").click()
    # the browser asks for the category (a required field); nothing was sent
    assert category.evaluate("select => select.validity.valueMissing") is True
    assert GenerationJob.objects.count() == 7
    screenshot(page, "form")
