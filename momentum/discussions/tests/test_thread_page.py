"""The thread on the lesson page without JavaScript (plain forms that come back to the lesson) and
with htmx (the thread's partial in place)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from momentum.discussions import queries
from momentum.discussions.models import Comment, CommentReport, PostingSuspension
from momentum.discussions.tests.conftest import Class, post
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _lesson(klass: Class) -> str:
    return f"/courses/{klass.course.slug}/day/2/"


def test_a_comment_posted_with_a_plain_form_comes_back_to_the_lesson(klass: Class) -> None:
    browser = _browser(klass.lee)

    response = browser.post(f"{_lesson(klass)}comments/new/", {"body_markdown": "Plain **form** works"})

    made = Comment.objects.get()
    assert response["Location"] == f"{_lesson(klass)}#comment-{made.pk}"
    page = browser.get(_lesson(klass)).content.decode()
    assert "Plain <strong>form</strong> works" in page
    assert 'id="discussion"' in page


def test_htmx_gets_the_thread_alone(klass: Class) -> None:
    response = _browser(klass.lee).post(
        f"{_lesson(klass)}comments/new/", {"body_markdown": "Swapped in"}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<section class="card discussion" id="discussion"')
    assert "Swapped in" in body


def test_a_refused_comment_says_why_on_the_page(klass: Class) -> None:
    response = _browser(klass.lee).post(
        f"{_lesson(klass)}comments/new/", {"body_markdown": "x" * 5001}, HTTP_HX_REQUEST="true"
    )

    assert "at most 5,000 characters" in response.content.decode()
    assert not Comment.objects.exists()


def test_people_outside_the_course_see_no_thread_on_the_free_preview(klass: Class) -> None:
    page = _browser(make_user("olly@example.com")).get(f"/courses/{klass.course.slug}/day/1/").content.decode()

    assert 'id="discussion"' not in page


def test_edit_and_report_work_as_plain_forms(api_as: Any, klass: Class) -> None:
    mine = post(api_as, klass.lee, klass, "Typo teh").json()["id"]
    theirs = post(api_as, klass.mia, klass, "Spam").json()["id"]
    browser = _browser(klass.lee)

    browser.post(f"/comments/{mine}/edit/", {"body_markdown": "Typo the"})
    browser.post(f"/comments/{theirs}/report/", {"reason": "advert"})

    assert Comment.objects.get(pk=mine).body_markdown == "Typo the"
    assert CommentReport.objects.get().reason == "advert"
    assert "moderators will look at this comment" in browser.get(_lesson(klass)).content.decode()


def test_the_thread_pages_ten_comments_at_a_time(api_as: Any, klass: Class, settings: Any) -> None:
    settings.DISCUSSION_COMMENT_RATE = (100, 60)
    for n in range(12):
        post(api_as, klass.lee, klass, f"Numbered comment {n:02}")
    browser = _browser(klass.mia)

    first = browser.get(_lesson(klass)).content.decode()
    second = browser.get(f"{_lesson(klass)}comments/?comments_page=2", HTTP_HX_REQUEST="true").content.decode()

    assert "Numbered comment 11" in first
    assert "Numbered comment 01" not in first
    assert "Page 1 of 2" in first
    assert "Numbered comment 01" in second
    assert "(12 comments)" in second


def test_on_the_lesson_page_a_learner_reads_their_own_cohorts_thread_only(klass: Class) -> None:
    post_as_api = Client()
    post_as_api.force_login(klass.ana)
    post_as_api.post(f"{_lesson(klass)}comments/new/", {"body_markdown": "Spring cohort here"})

    assert "Spring cohort here" in _browser(klass.ana).get(_lesson(klass)).content.decode()
    assert "Spring cohort here" not in _browser(klass.ben).get(_lesson(klass)).content.decode()
    assert "Spring cohort here" not in _browser(klass.lee).get(_lesson(klass)).content.decode()


def test_a_suspended_learner_reads_the_thread_on_the_lesson_page_with_no_form_to_post(klass: Class) -> None:
    PostingSuspension.objects.create(user=klass.lee, course=klass.course, reason="Spam")

    page = _browser(klass.lee).get(_lesson(klass)).content.decode()

    assert 'id="discussion"' in page
    assert "suspended your posting" in page
    assert f"{_lesson(klass)}comments/new/" not in page


def test_a_comment_hidden_however_it_is_written_leaves_every_learners_page_at_once(api_as: Any, klass: Class) -> None:
    comment_id = post(api_as, klass.lee, klass, "Buy cheap watches").json()["id"]
    assert "Buy cheap watches" in _browser(klass.mia).get(_lesson(klass)).content.decode()  # the page is cached

    # an update no signal sees: the database's trigger moves the discussions revision
    Comment.objects.filter(pk=comment_id).update(hidden_at=timezone.now())

    assert "Buy cheap watches" not in _browser(klass.mia).get(_lesson(klass)).content.decode()
    assert "Buy cheap watches" not in _browser(klass.lee).get(_lesson(klass)).content.decode()


def test_the_thread_shared_by_a_cohort_still_offers_each_author_the_edit_of_their_own_comment(
    api_as: Any, klass: Class
) -> None:
    comment_id = post(api_as, klass.lee, klass, "My first thought").json()["id"]
    edit = f"/comments/{comment_id}/edit/"

    assert edit not in _browser(klass.mia).get(_lesson(klass)).content.decode()  # read first, and kept
    assert edit in _browser(klass.lee).get(_lesson(klass)).content.decode()


class StaleThreads:
    """The thread's cache region as a process sees it before the commit's announcement arrives."""

    def get_or_build(self, key: str, build: Any, **options: Any) -> Any:
        return [], 0, 1


def test_the_thread_sent_back_after_posting_is_read_afresh_whatever_the_cache_still_holds(
    klass: Class, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "No comments yet" in _browser(klass.mia).get(_lesson(klass)).content.decode()
    # a process whose memory has not yet heard of the commit (PostgreSQL's NOTIFY takes a few ms)
    monkeypatch.setattr(queries, "THREADS", StaleThreads())

    response = _browser(klass.lee).post(
        f"{_lesson(klass)}comments/new/", {"body_markdown": "Fresh from the writer"}, HTTP_HX_REQUEST="true"
    )

    assert "Fresh from the writer" in response.content.decode()
