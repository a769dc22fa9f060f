"""Moderation: reports (one per person), hiding and restoring through the API, and the studio's
queue with its actions (hide, restore, dismiss, warn, suspend), each audited."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.accounts.models import Notification
from momentum.audit.models import AuditLog
from momentum.discussions.audit_actions import AuditAction
from momentum.discussions.models import CommentReport, PostingSuspension
from momentum.discussions.tests.conftest import Class, post
from tests.factories import signed_in_client

pytestmark = pytest.mark.django_db


def test_a_learner_reports_a_comment_once(api_as: Any, klass: Class) -> None:
    made = post(api_as, klass.lee, klass, "Rude words").json()["id"]

    first = api_as(klass.mia).post(f"/comments/{made}/report")
    again = api_as(klass.mia).post(f"/comments/{made}/report")

    assert (first.status_code, again.status_code) == (202, 202)
    assert CommentReport.objects.filter(reporter=klass.mia).count() == 1


def test_hidden_comments_are_visible_to_staff_only(api_as: Any, klass: Class) -> None:
    top = post(api_as, klass.lee, klass, "Off topic").json()["id"]
    post(api_as, klass.mia, klass, "Agreed", parent_id=top)

    hidden = api_as(klass.admin).post(f"/comments/{top}/hide")

    assert (hidden.status_code, hidden.json()["hidden"]) == (200, True)
    assert api_as(klass.mia).get(klass.path).json()["items"] == []
    assert api_as(klass.lee).get(klass.path).json()["items"] == []
    assert api_as(klass.lee).patch(f"/comments/{top}", {"body_markdown": "x"}).status_code == 404
    [seen] = api_as(klass.admin).get(klass.path).json()["items"]
    assert (seen["id"], seen["hidden"]) == (top, True)
    assert AuditLog.objects.filter(action=AuditAction.COMMENT_HIDDEN, actor=klass.admin, subject=klass.lee).exists()


def test_a_restored_comment_is_visible_again(api_as: Any, klass: Class) -> None:
    top = post(api_as, klass.lee, klass, "Fine after all").json()["id"]
    api_as(klass.admin).post(f"/comments/{top}/hide")

    assert api_as(klass.admin).post(f"/comments/{top}/restore").json()["hidden"] is False

    assert [i["id"] for i in api_as(klass.mia).get(klass.path).json()["items"]] == [top]
    assert AuditLog.objects.filter(action=AuditAction.COMMENT_RESTORED).count() == 1


def test_learners_cannot_hide_comments(api_as: Any, klass: Class) -> None:
    top = post(api_as, klass.lee, klass, "Mine").json()["id"]

    response = api_as(klass.mia).post(f"/comments/{top}/hide")

    assert (response.status_code, response.json()["code"]) == (403, "not_course_staff")


def test_the_queue_lists_reported_comments_most_recently_reported_first(api_as: Any, klass: Class) -> None:
    older = post(api_as, klass.lee, klass, "First reported").json()["id"]
    newer = post(api_as, klass.mia, klass, "Second reported").json()["id"]
    post(api_as, klass.mia, klass, "Never reported")
    api_as(klass.mia).post(f"/comments/{older}/report")
    signed_in_client(klass.lee).post(f"/comments/{newer}/report/", {"reason": "spam link"})

    page = signed_in_client(klass.admin).get("/studio/moderation/").content.decode()

    assert page.index("Second reported") < page.index("First reported")
    assert "Never reported" not in page
    assert "spam link" in page


def test_hiding_from_the_queue_moves_the_comment_to_the_hidden_list(api_as: Any, klass: Class) -> None:
    made = post(api_as, klass.lee, klass, "Nasty remark").json()["id"]
    api_as(klass.mia).post(f"/comments/{made}/report")
    studio = signed_in_client(klass.admin)

    response = studio.post(f"/studio/moderation/comments/{made}/hide/")

    assert response.status_code == 302
    assert "Nasty remark" not in studio.get("/studio/moderation/").content.decode()
    assert "Nasty remark" in studio.get("/studio/moderation/?view=hidden").content.decode()
    assert api_as(klass.mia).get(klass.path).json()["items"] == []


def test_dismissing_reports_keeps_the_comment_and_empties_the_queue(api_as: Any, klass: Class) -> None:
    made = post(api_as, klass.lee, klass, "Harmless").json()["id"]
    api_as(klass.mia).post(f"/comments/{made}/report")

    signed_in_client(klass.admin).post(f"/studio/moderation/comments/{made}/dismiss/")

    assert "Harmless" not in signed_in_client(klass.admin).get("/studio/moderation/").content.decode()
    assert [i["id"] for i in api_as(klass.mia).get(klass.path).json()["items"]] == [made]
    assert AuditLog.objects.filter(action=AuditAction.COMMENT_REPORTS_DISMISSED).exists()


def test_warning_the_author_notifies_them(api_as: Any, klass: Class) -> None:
    made = post(api_as, klass.lee, klass, "Borderline").json()["id"]
    api_as(klass.mia).post(f"/comments/{made}/report")

    signed_in_client(klass.admin).post(f"/studio/moderation/comments/{made}/warn/")

    notice = Notification.objects.get(user=klass.lee)
    assert notice.kind == "warning"
    assert notice.url.endswith(f"#comment-{made}")
    assert AuditLog.objects.filter(action=AuditAction.AUTHOR_WARNED, subject=klass.lee).exists()


def test_a_suspended_author_gets_posting_suspended_until_it_is_lifted(api_as: Any, klass: Class) -> None:
    made = post(api_as, klass.lee, klass, "Spam spam").json()["id"]
    api_as(klass.mia).post(f"/comments/{made}/report")
    studio = signed_in_client(klass.admin)

    studio.post(f"/studio/moderation/comments/{made}/suspend/", {"reason": "spam"})

    refused = post(api_as, klass.lee, klass, "More spam")
    assert (refused.status_code, refused.json()["code"]) == (403, "posting_suspended")
    assert PostingSuspension.objects.get().created_by == klass.admin
    studio.post(f"/studio/moderation/comments/{made}/lift/")
    assert post(api_as, klass.lee, klass, "Sorry").status_code == 201
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {AuditAction.POSTING_SUSPENDED, AuditAction.POSTING_RESTORED} <= actions


def test_an_unknown_moderation_action_is_not_found(api_as: Any, klass: Class) -> None:
    made = post(api_as, klass.lee, klass, "Anything").json()["id"]

    assert signed_in_client(klass.admin).post(f"/studio/moderation/comments/{made}/explode/").status_code == 404
