"""The notification centre's pages: the bell's count in the header, the list, marking read with and
without JavaScript, and the settings section."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from momentum.accounts.actions import do_notify
from momentum.accounts.models import Notification, NotificationKind, NotificationPreference, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: Client, learner: User) -> Client:
    client.force_login(learner)
    return client


def notify(user: User, title: str) -> Notification:
    do_notify(user, kind=NotificationKind.BADGE_AWARDED, title=title, body="Well done.", url="/dashboard/")
    return Notification.objects.filter(user=user).latest("pk")


def bell(html: str) -> str:
    found = re.search(r'<a class="notification-bell[^"]*" id="notification-bell".*?</a>', html, re.S)
    assert found, "no bell on the page"
    return found.group(0)


def test_the_bell_shows_the_unread_count_on_every_page(signed_in: Client, learner: User) -> None:
    notify(learner, "First badge")
    notify(learner, "Second badge")
    for path in ("/", "/courses/", "/dashboard/", "/profile/"):
        html = signed_in.get(path).content.decode()
        assert 'aria-label="Notifications, 2 unread"' in bell(html), path
        assert "data-unread-count>2<" in bell(html), path


def test_a_visitor_has_no_bell(client: Client) -> None:
    assert 'id="notification-bell"' not in client.get("/").content.decode()


def test_the_list_shows_newest_first_with_the_unread_marked(signed_in: Client, learner: User) -> None:
    old = notify(learner, "Older badge")
    notify(learner, "Newer badge")
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    html = signed_in.get("/notifications/").content.decode()
    assert html.index("Newer badge") < html.index("Older badge")
    assert html.count('class="card notice unread"') == 1
    assert "Mark all read" in html


def test_marking_one_read_without_javascript_returns_to_the_list(signed_in: Client, learner: User) -> None:
    notice = notify(learner, "A badge")
    notify(learner, "Another badge")
    response = signed_in.post("/notifications/read/", {"id": notice.pk})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'aria-label="Notifications, 1 unread"' in bell(signed_in.get("/notifications/").content.decode())


def test_mark_all_read_with_htmx_swaps_the_list_and_the_bell(signed_in: Client, learner: User) -> None:
    notify(learner, "A badge")
    notify(learner, "Another badge")
    response = signed_in.post("/notifications/read/", {"page": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="notification-list"')
    assert 'hx-swap-oob="true"' in bell(html)
    assert "data-unread-count" not in bell(html)
    assert 'class="card notice unread"' not in html
    assert not Notification.objects.filter(user=learner, read_at__isnull=True).exists()


def test_someone_elses_notice_cannot_be_marked_from_the_page(signed_in: Client, stranger: User) -> None:
    theirs = notify(stranger, "Their badge")
    signed_in.post("/notifications/read/", {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("bad", ["abc", "-1", "9" * 40])
def test_a_bad_notice_id_is_a_message_not_an_error(signed_in: Client, learner: User, bad: str) -> None:
    notify(learner, "A badge")
    response = signed_in.post("/notifications/read/", {"id": bad}, follow=True)
    assert response.status_code == 200
    assert "That notice could not be found." in response.content.decode()
    assert Notification.objects.filter(user=learner, read_at__isnull=True).count() == 1


def test_the_list_is_paginated(signed_in: Client, learner: User) -> None:
    for n in range(23):
        notify(learner, f"Badge {n:02d}")
    first = signed_in.get("/notifications/").content.decode()
    second = signed_in.get("/notifications/?page=2").content.decode()
    assert "Badge 22" in first
    assert "Badge 02" not in first
    assert "Badge 02" in second
    assert "Page 2 of 2" in second


def test_the_settings_section_saves_each_kinds_channels(signed_in: Client, learner: User) -> None:
    page = signed_in.get("/profile/notifications/").content.decode()
    assert "Someone mentioned you" in page
    assert "Push" in page
    assert "A course draft is ready" not in page  # an author's notice: admins only
    form = {f"{kind}__in_app": "on" for kind in NotificationKind.values}
    form["mention__email"] = "on"
    response = signed_in.post("/profile/notifications/", form, follow=True)
    assert "Your notification settings are saved." in response.content.decode()
    mention = NotificationPreference.objects.get(user=learner, kind="mention")
    assert (mention.in_app, mention.email, mention.push) == (True, True, False)
    assert NotificationPreference.objects.get(user=learner, kind="cohort_starting").email is False


def test_the_pages_need_a_sign_in(client: Client) -> None:
    for path in ("/notifications/", "/profile/notifications/"):
        assert client.get(path).status_code == 302
    assert client.post("/notifications/read/").status_code in (302, 403)


def test_the_bell_costs_one_count_query_per_page(signed_in: Client, learner: User) -> None:
    notify(learner, "A badge")
    assert _queries(signed_in, "/profile/") == ["count"]
    assert _queries(signed_in, "/courses/") == ["count"]


def _queries(client: Client, path: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return [
        "count" if "COUNT(" in query["sql"].upper() else query["sql"]
        for query in captured.captured_queries
        if '"accounts_notification"' in query["sql"]
    ]


def test_the_notice_settings_are_in_the_personal_data_export_and_go_with_the_account(
    api_as: Any, learner: User
) -> None:
    from tests.factories import PASSWORD

    me = api_as(learner)
    me.patch(
        "/me/notification-preferences", {"items": [{"kind": "reply", "in_app": True, "email": True, "push": False}]}
    )
    notify(learner, "A badge")
    exported = me.get("/me/export").json()
    assert exported["profile"]["notification_preferences"] == {"reply": {"in_app": True, "email": True, "push": False}}
    assert [n["title"] for n in exported["notifications"]] == ["A badge"]
    assert me.delete("/me", {"password": PASSWORD}).status_code == 204
    assert not NotificationPreference.objects.filter(user=learner).exists()
    assert not Notification.objects.filter(user=learner).exists()
