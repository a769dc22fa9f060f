"""One's own comments: edit within 15 minutes (an injected clock), delete, and the limits on posting:
the per-learner rate and a moderator's suspension."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from momentum.accounts.models import Notification
from momentum.discussions.models import Comment, PostingSuspension
from momentum.discussions.tests.conftest import Class, post
from momentum.lib import clock
from momentum.platform import request_limits

pytestmark = pytest.mark.django_db

POSTED = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def test_the_author_edits_their_comment_within_15_minutes(api_as: Any, klass: Class) -> None:
    with clock.travel_to(POSTED):
        made = post(api_as, klass.lee, klass, "Frist!").json()
    with clock.travel_to(POSTED + timedelta(minutes=14, seconds=59)):
        response = api_as(klass.lee).patch(f"/comments/{made['id']}", {"body_markdown": "First *thought*"})

    assert response.status_code == 200
    assert response.json()["body_html"] == "<p>First <em>thought</em></p>\n"
    assert response.json()["edited_at"].startswith("2026-12-06T09:14:59")


def test_after_15_minutes_a_comment_can_no_longer_be_edited(api_as: Any, klass: Class) -> None:
    with clock.travel_to(POSTED):
        made = post(api_as, klass.lee, klass, "Frist!").json()
    with clock.travel_to(POSTED + timedelta(minutes=15, seconds=1)):
        response = api_as(klass.lee).patch(f"/comments/{made['id']}", {"body_markdown": "First"})

    assert (response.status_code, response.json()["code"]) == (409, "edit_window_closed")
    assert Comment.objects.get().body_markdown == "Frist!"


def test_nobody_edits_or_deletes_someone_elses_comment(api_as: Any, klass: Class) -> None:
    made = post(api_as, klass.lee, klass, "Mine").json()

    edit = api_as(klass.mia).patch(f"/comments/{made['id']}", {"body_markdown": "Yours now"})
    delete = api_as(klass.mia).delete(f"/comments/{made['id']}")

    assert [(r.status_code, r.json()["code"]) for r in (edit, delete)] == [(403, "not_comment_author")] * 2
    assert Comment.objects.get().body_markdown == "Mine"


def test_the_author_deletes_their_comment(api_as: Any, klass: Class) -> None:
    made = post(api_as, klass.lee, klass, "Oops, wrong lesson").json()

    assert api_as(klass.lee).delete(f"/comments/{made['id']}").status_code == 204

    assert api_as(klass.mia).get(klass.path).json()["items"] == []
    assert not Comment.objects.exists()


def test_a_deleted_comment_with_replies_stays_as_a_placeholder(api_as: Any, klass: Class) -> None:
    top = post(api_as, klass.lee, klass, "Something I regret").json()["id"]
    reply = post(api_as, klass.mia, klass, "A good answer", parent_id=top).json()["id"]

    api_as(klass.lee).delete(f"/comments/{top}")

    [shown] = api_as(klass.mia).get(klass.path).json()["items"]
    assert (shown["id"], shown["deleted"], shown["body_html"]) == (top, True, "")
    assert [r["id"] for r in shown["replies"]] == [reply]
    assert Comment.objects.get(pk=top).body_markdown == ""


def test_a_learner_posting_too_fast_is_asked_to_wait(
    api_as: Any, klass: Class, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DISCUSSION_COMMENT_RATE = (3, 60)
    monkeypatch.setattr(request_limits, "_now", lambda: 1_800_000_010.0)  # 10 s into a window

    answers = [post(api_as, klass.lee, klass, f"Comment {n}") for n in range(4)]

    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    assert answers[-1].json()["code"] == "rate_limited"
    assert answers[-1]["Retry-After"] == "50"
    assert post(api_as, klass.mia, klass, "Someone else is not slowed").status_code == 201
    assert post(api_as, klass.admin, klass, "Staff are not limited").status_code == 201


def test_a_suspended_learner_may_read_but_not_post(api_as: Any, klass: Class) -> None:
    PostingSuspension.objects.create(user=klass.lee, course=klass.course, reason="Spam")

    response = post(api_as, klass.lee, klass, "Buy my course")

    assert (response.status_code, response.json()["code"]) == (403, "posting_suspended")
    assert api_as(klass.lee).get(klass.path).status_code == 200


def test_a_reply_notifies_the_author_of_the_comment_it_answers(api_as: Any, klass: Class) -> None:
    top = post(api_as, klass.lee, klass, "How long should step 2 take?").json()["id"]

    post(api_as, klass.mia, klass, "About ten minutes", parent_id=top)

    [notice] = Notification.objects.filter(user=klass.lee)
    assert notice.kind == "reply"
    assert notice.title.startswith("Mia Moreau replied")
    assert notice.url.endswith(f"/day/2/#comment-{top + 1}")
    assert not Notification.objects.filter(user=klass.mia).exists()


def test_mentioning_a_participant_notifies_them(api_as: Any, klass: Class) -> None:
    post(api_as, klass.mia, klass, "I found day 2 hard")
    post(api_as, klass.ana, klass, "Spring cohort: nobody mentions me from outside")

    post(api_as, klass.lee, klass, "@Mia did you try the slow version? cc @AnaAlves")

    assert list(Notification.objects.filter(user=klass.mia).values_list("kind", flat=True)) == ["mention"]
    assert not Notification.objects.filter(user=klass.ana).exists()


def test_a_participant_named_in_full_is_mentioned_once(api_as: Any, klass: Class) -> None:
    post(api_as, klass.mia, klass, "Hello")

    post(api_as, klass.lee, klass, "@MiaMoreau and again @mia")

    assert Notification.objects.filter(user=klass.mia, kind="mention").count() == 1
