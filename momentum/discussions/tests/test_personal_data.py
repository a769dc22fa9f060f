"""A person's comments in their data export, and what deleting their account does to them: their
replies and unanswered comments go; a comment others answered stays, text-less, by "deleted user"."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.discussions.models import Comment, CommentReport
from momentum.discussions.tests.conftest import Class, post
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_persons_comments_and_reports(api_as: Any, klass: Class) -> None:
    mine = post(api_as, klass.lee, klass, "My *own* words").json()["id"]
    theirs = post(api_as, klass.mia, klass, "Not mine").json()["id"]
    api_as(klass.lee).post(f"/comments/{theirs}/report")

    export = api_as(klass.lee).get("/me/export").json()

    assert [(c["id"], c["body_markdown"], c["day"]) for c in export["comments"]] == [(mine, "My *own* words", 2)]
    assert export["comment_reports"][0]["comment_id"] == theirs


def test_deleting_the_account_leaves_answered_comments_as_by_a_deleted_user(api_as: Any, klass: Class) -> None:
    answered = post(api_as, klass.lee, klass, "Answered question").json()["id"]
    post(api_as, klass.lee, klass, "Unanswered musing")
    post(api_as, klass.lee, klass, "Lee's own reply", parent_id=answered)
    reply = post(api_as, klass.mia, klass, "Mia's answer", parent_id=answered).json()["id"]
    mia_top = post(api_as, klass.mia, klass, "Mia's question").json()["id"]
    api_as(klass.lee).post(f"/comments/{mia_top}/report")

    assert api_as(klass.lee).delete("/me", {"password": PASSWORD}).status_code == 204

    items = api_as(klass.mia).get(klass.path, {"order": "oldest"}).json()["items"]
    assert [(i["id"], i["author"]["display_name"], i["deleted"]) for i in items] == [
        (answered, "deleted user", True),
        (mia_top, "Mia Moreau", False),
    ]
    assert [r["id"] for r in items[0]["replies"]] == [reply]
    assert not Comment.objects.filter(author=klass.lee).exists()
    assert not Comment.objects.exclude(author=klass.mia).exclude(body_markdown="").exists()
    assert not CommentReport.objects.exists()
