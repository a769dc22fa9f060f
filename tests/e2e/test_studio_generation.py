"""In Chromium, offline: an admin generates a course in the studio, watches its steps advance
without reloading, and opens the draft in the course editor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from momentum.catalog.models import Course, Status
from momentum.generation.models import GenerationJob, JobStatus
from tests.e2e.test_studio_authoring import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.journey,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def test_an_admin_generates_a_draft_and_reviews_it(live_server, admin, page: Any, screenshot: Any) -> None:
    sign_in(page, live_server, admin)

    # The generator, from the studio menu
    page.goto(f"{live_server.url}/studio/")
    page.get_by_role("navigation", name="Studio").get_by_role("link", name="Generate").click()
    page.get_by_role("heading", name="Generate a course").wait_for()
    page.get_by_label("Topic").fill("Calm mornings")
    page.get_by_label("Category").select_option("health-wellness")
    page.get_by_label("Length").select_option("7")
    page.get_by_label("Audience").fill("busy parents")
    page.get_by_label("Make a narrated video for each lesson").uncheck()
    screenshot(page, "form")
    page.get_by_role("button", name="Generate draft").click()

    # The job page updates by itself until the draft is saved
    page.get_by_text("Generating “Calm mornings”").wait_for()
    page.locator("tr[data-step='lesson-1']").wait_for()
    page.get_by_role("link", name="Review draft").wait_for(timeout=120_000)
    assert page.locator("tr[data-step='save'][data-status='SUCCEEDED']").count() == 1
    assert page.locator("tr[data-step='video-1'][data-status='SKIPPED']").count() == 1
    screenshot(page, "job-finished")
    job = GenerationJob.objects.get()
    assert job.status == JobStatus.SUCCEEDED

    # "Review draft" opens the course editor of the draft
    page.get_by_role("link", name="Review draft").click()
    assert job.course_id is not None
    course = Course.objects.get(pk=job.course_id)
    assert course.status == Status.DRAFT
    page.get_by_role("heading", name=course.title).first.wait_for()
    assert page.url.endswith(f"/studio/courses/{course.pk}/")
    assert page.js_errors == []
