"""In Chromium: an instructor opens the studio and sees only their courses and Generate, adds a
co-instructor to their course and asks to publish it; an admin finds it waiting for approval and
publishes it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from momentum.accounts.models import Role
from momentum.catalog.models import Course, Status
from momentum.sitesettings.models import InstructorPublishing, SiteSettings
from tests.e2e.test_studio_authoring import sign_in
from tests.factories import make_course, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def test_an_instructor_shares_and_asks_to_publish_and_an_admin_approves(
    page: Any, live_server: Any, chromium: Any, screenshot: Any
) -> None:
    # given an instructor's complete draft, another instructor, and a site where an admin approves
    SiteSettings.objects.update_or_create(id=1, defaults={"instructor_publishing": InstructorPublishing.APPROVAL})
    instructor = make_user("ines@example.com", role=Role.INSTRUCTOR, display_name="Ines")
    make_user("otto@example.com", role=Role.INSTRUCTOR, display_name="Otto")
    admin = make_user("ada@example.com", role=Role.ADMIN, display_name="Ada")
    make_course("Someone else's course", slug="someone-elses")
    course = make_course("Ink drawing in a week", slug="ink-drawing")
    Course.objects.filter(pk=course.pk).update(owner=instructor, status=Status.DRAFT, published_at=None)

    # when the instructor opens the studio
    sign_in(page, live_server, instructor)
    page.goto("/")
    page.get_by_role("link", name="Studio").first.click()
    page.wait_for_url("**/studio/courses/")  # the click only starts the navigation
    links = page.locator("#studio-links a").all_inner_texts()
    assert links == ["Courses", "Generate", "Moderation"]
    assert page.get_by_text("Someone else's course").count() == 0

    # then adds Otto as a co-instructor and asks to publish
    page.get_by_role("link", name="Ink drawing in a week").click()
    page.get_by_label("Add a co-instructor").fill("otto@example.com")
    page.get_by_role("button", name="Add co-instructor").click()
    page.get_by_text("Otto now teaches this course with you.").wait_for()
    page.get_by_role("button", name="Ask to publish").click()
    page.get_by_text("awaits an admin's approval").first.wait_for()
    screenshot(page, "instructor-asked")

    # and the admin finds it in the approval queue and publishes it
    admin_tab = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}).new_page()
    sign_in(admin_tab, live_server, admin)
    admin_tab.goto("/studio/courses/")
    queue = admin_tab.locator("#approval-queue")
    assert "Ink drawing in a week" in queue.inner_text()
    assert "by Ines" in queue.inner_text()
    screenshot(admin_tab, "approval-queue")
    queue.get_by_role("link", name="Ink drawing in a week").click()
    admin_tab.get_by_role("button", name="Approve and publish").click()
    admin_tab.get_by_text("is published").wait_for()
    course.refresh_from_db()
    assert (course.status, course.publish_requested_at) == (Status.PUBLISHED, None)
    admin_tab.context.close()
    assert page.js_errors == []
