"""The notification centre's API: the caller's notices newest first, unread only on asking, marking
them read (one, some or all, never someone else's), and where each kind of notice goes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from momentum.accounts.actions import do_notify
from momentum.accounts.models import Notification, NotificationKind, User

pytestmark = pytest.mark.django_db


def notices(user: User, count: int) -> list[Notification]:
    for n in range(count):
        do_notify(user, kind=NotificationKind.BADGE_AWARDED, title=f"Badge {n}", url="/dashboard/")
    found = list(Notification.objects.filter(user=user).order_by("pk"))
    for age, notice in enumerate(reversed(found)):  # the last written is the newest
        notice.created_at = timezone.now() - timedelta(minutes=age)
        notice.save(update_fields=["created_at"])
    return found


def test_the_list_is_the_callers_notices_newest_first(api_as: Any, learner: User, stranger: User) -> None:
    notices(learner, 3)
    notices(stranger, 1)
    response = api_as(learner).get("/me/notifications")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["title"] for item in body["items"]] == ["Badge 2", "Badge 1", "Badge 0"]
    assert set(body["items"][0]) == {"id", "kind", "title", "body", "url", "created_at", "read_at"}
    assert body["items"][0]["kind"] == "badge_awarded"
    assert body["items"][0]["read_at"] is None


def test_unread_true_leaves_out_the_read_ones(api_as: Any, learner: User) -> None:
    first, *_ = notices(learner, 3)
    me = api_as(learner)
    assert me.post("/me/notifications/read", {"ids": [first.pk]}).status_code == 204
    unread = me.get("/me/notifications?unread=true").json()
    assert unread["count"] == 2
    assert first.pk not in [item["id"] for item in unread["items"]]
    assert me.get("/me/notifications").json()["count"] == 3


def test_the_list_is_paginated(api_as: Any, learner: User) -> None:
    notices(learner, 5)
    page = api_as(learner).get("/me/notifications?page=2&page_size=2").json()
    assert (page["count"], page["page"], [item["title"] for item in page["items"]]) == (5, 2, ["Badge 2", "Badge 1"])


def test_marking_without_ids_marks_every_notice_read(api_as: Any, learner: User) -> None:
    notices(learner, 3)
    me = api_as(learner)
    assert me.post("/me/notifications/read", {}).status_code == 204
    assert me.get("/me/notifications?unread=true").json()["count"] == 0


def test_someone_elses_notice_stays_unread(api_as: Any, learner: User, stranger: User) -> None:
    [theirs] = notices(stranger, 1)
    assert api_as(learner).post("/me/notifications/read", {"ids": [theirs.pk]}).status_code == 204
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_a_read_notice_again_keeps_its_first_reading(api_as: Any, learner: User) -> None:
    [notice] = notices(learner, 1)
    me = api_as(learner)
    me.post("/me/notifications/read", {"ids": [notice.pk]})
    notice.refresh_from_db()
    first_read = notice.read_at
    me.post("/me/notifications/read", {})
    notice.refresh_from_db()
    assert notice.read_at == first_read


@pytest.mark.parametrize("ids", [["one"], [0], [2**70], "all", [True]])
def test_ids_that_are_not_notice_ids_are_refused(api_as: Any, learner: User, ids: Any) -> None:
    response = api_as(learner).post("/me/notifications/read", {"ids": ids})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_visitor_has_no_notices(api: Any) -> None:
    assert api.get("/me/notifications").status_code == 401


# --- Preferences ----------------------------------------------------------------------------------


def test_every_kind_has_sensible_channels_by_default(api_as: Any, learner: User) -> None:
    items = {item["kind"]: item for item in api_as(learner).get("/me/notification-preferences").json()["items"]}
    assert set(items) == set(NotificationKind.values) - {
        "generation_finished", "generation_failed", "course_publish_requested", "course_co_instructor_added"
    }  # fmt: skip
    assert all(item["in_app"] for item in items.values())
    assert items["mention"] == {"kind": "mention", "in_app": True, "email": True, "push": True}
    assert items["badge_awarded"]["email"] is False
    # the push app pushes "today's lesson is open" itself, at the hour the learner chose
    assert items["day_opened"] == {"kind": "day_opened", "in_app": True, "email": False, "push": False}


def test_an_admin_also_chooses_where_draft_ready_notices_go(api_as: Any, admin: User) -> None:
    items = {item["kind"]: item for item in api_as(admin).get("/me/notification-preferences").json()["items"]}
    assert set(items) == set(NotificationKind.values)
    assert items["generation_finished"] == {"kind": "generation_finished", "in_app": True, "email": True, "push": False}


def test_changing_one_kind_keeps_the_others(api_as: Any, learner: User) -> None:
    me = api_as(learner)
    change = {"items": [{"kind": "badge_awarded", "in_app": False, "email": True, "push": False}]}
    response = me.patch("/me/notification-preferences", change)
    assert response.status_code == 200
    items = {item["kind"]: item for item in response.json()["items"]}
    assert items["badge_awarded"] == {"kind": "badge_awarded", "in_app": False, "email": True, "push": False}
    assert items["mention"]["email"] is True
    again = {item["kind"]: item for item in me.get("/me/notification-preferences").json()["items"]}
    assert again == items


@pytest.mark.parametrize(
    "item",
    [
        {"kind": "gossip", "in_app": True, "email": True, "push": True},
        {"kind": "reply", "in_app": "yes", "email": True, "push": True},
        {"kind": "reply", "in_app": True},
    ],
)
def test_an_unknown_kind_or_a_loose_boolean_is_refused(api_as: Any, learner: User, item: dict[str, Any]) -> None:
    response = api_as(learner).patch("/me/notification-preferences", {"items": [item]})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_kind_turned_off_in_the_app_writes_no_notice(api_as: Any, learner: User) -> None:
    off = {"items": [{"kind": "badge_awarded", "in_app": False, "email": False, "push": False}]}
    api_as(learner).patch("/me/notification-preferences", off)
    assert do_notify(learner, kind="badge_awarded", title="A badge") is False
    assert do_notify(learner, kind="course_completed", title="A course") is True
    assert list(Notification.objects.filter(user=learner).values_list("kind", flat=True)) == ["course_completed"]


# --- The rules, in the code and in the database -----------------------------------------------------


def test_do_notify_refuses_a_kind_nobody_declared(learner: User) -> None:
    with pytest.raises(ValueError, match="gossip"):
        do_notify(learner, kind="gossip", title="?")


def test_do_notify_refuses_a_link_off_the_site(learner: User) -> None:
    for url in ("https://evil.example/", "javascript:alert(1)", "//evil.example/"):
        with pytest.raises(ValueError, match="path of this site"):
            do_notify(learner, kind="reply", title="?", url=url)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"kind": "gossip"}, "notification_kind_valid"),
        ({"kind": "reply", "url": "javascript:alert(1)"}, "notification_url_on_site"),
        ({"kind": "reply", "url": "//evil.example/"}, "notification_url_on_site"),
    ],
)
def test_the_database_refuses_what_do_notify_refuses(learner: User, fields: dict[str, str], constraint: str) -> None:
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Notification.objects.create(user=learner, title="?", **fields)
