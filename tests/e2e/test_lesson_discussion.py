"""In Chromium: learners talk under a lesson (a comment and a reply, swapped in by htmx without a
reload), and an admin hides a reported comment from the studio's moderation queue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from momentum.accounts.models import Notification, Role
from momentum.discussions.actions import do_post_comment, do_report_comment
from momentum.discussions.models import Comment
from momentum.discussions.queries import participant
from momentum.learning.actions import do_enroll
from tests.e2e.test_studio_authoring import sign_in
from tests.factories import make_course, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def test_a_learner_comments_and_replies_under_the_lesson_without_a_reload(
    page: Any, live_server: Any, learner: Any, screenshot: Any
) -> None:
    # given a lesson where a classmate already asked something
    course = make_course("Seven Days of Sketching", duration_days=7)
    lesson = course.lessons.get(day=2)
    classmate = make_user("mia@example.com", display_name="Mia Moreau")
    for person in (learner, classmate):
        do_enroll(person, course)
    do_post_comment(participant(classmate, lesson), "Which pencil do you use for **shading**?")
    sign_in(page, live_server, learner)
    page.goto(f"/courses/{course.slug}/day/2/")
    page.evaluate("window.stillTheSamePage = true")
    thread = page.locator("#discussion")

    # when the learner posts a comment
    thread.get_by_label("Add a comment").fill("Day 2 was *fun*: @Mia look at the hatching tip.")
    thread.get_by_role("button", name="Post comment").click()

    # then it shows in the thread, rendered, without the page reloading
    mine = thread.locator("article", has_text="Day 2 was fun")
    mine.wait_for()
    assert mine.locator("em").inner_text() == "fun"
    assert page.evaluate("window.stillTheSamePage === true")

    # when they reply to the classmate's question
    question = thread.locator("li.comment-item", has_text="Which pencil")
    question.get_by_text("Reply", exact=True).click()
    question.get_by_label("Your reply to Mia Moreau").fill("A soft 4B, held flat.")
    question.get_by_role("button", name="Post reply").click()

    # then the reply hangs under the question, and the classmate is told twice (mention, reply)
    thread.locator("li.comment-item", has_text="Which pencil").locator(".replies", has_text="A soft 4B").wait_for()
    assert page.evaluate("window.stillTheSamePage === true")
    assert sorted(Notification.objects.filter(user=classmate).values_list("kind", flat=True)) == ["mention", "reply"]
    screenshot(page, "thread")


def test_an_admin_hides_a_reported_comment_from_the_moderation_queue(
    page: Any, live_server: Any, learner: Any, screenshot: Any
) -> None:
    # given a reported comment
    course = make_course("Seven Days of Sketching", duration_days=7)
    lesson = course.lessons.get(day=2)
    troll = make_user("troll@example.com", display_name="Tim Troll")
    for person in (learner, troll):
        do_enroll(person, course)
    rude = do_post_comment(participant(troll, lesson), "This course is rubbish and so are you.")
    do_report_comment(learner, rude, reason="Insulting")
    admin = make_user("ada@example.com", role=Role.ADMIN, display_name="Ada Admin")
    sign_in(page, live_server, admin)

    # when the admin opens the queue and hides it
    page.goto("/studio/moderation/")
    item = page.locator(".moderation-item", has_text="rubbish")
    assert "Insulting" in item.inner_text()
    screenshot(page, "queue")
    item.get_by_role("button", name="Hide").click()

    # then the queue is empty, the comment waits under "Hidden", and learners no longer see it
    page.get_by_text("Comment hidden").wait_for()
    assert page.locator(".moderation-item", has_text="rubbish").count() == 0
    page.get_by_role("link", name="Hidden").click()
    page.locator(".moderation-item", has_text="rubbish").get_by_role("button", name="Restore").wait_for()
    assert Comment.objects.get(pk=rude.pk).hidden_at is not None
    page.context.clear_cookies()
    sign_in(page, live_server, learner)
    page.goto(f"/courses/{course.slug}/day/2/")
    page.locator("#discussion").wait_for()
    assert "rubbish" not in page.locator("#discussion").inner_text()
