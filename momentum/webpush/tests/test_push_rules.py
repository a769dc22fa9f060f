"""The rules a learner notices: one push a day at most, and we stop after pushes go unanswered
(a click on a push, or any visit, counts as an answer)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from momentum.learning.actions import do_enroll
from momentum.lib.clock import travel_to
from momentum.webpush.actions import do_push
from momentum.webpush.models import PushMessage, PushSettings
from momentum.webpush.tests.push_service import PushService
from tests.factories import make_course

pytestmark = pytest.mark.django_db

PUSH = {"kind": "streak_at_risk", "title": "Keep your streak", "body": "One lesson today.", "url": "/dashboard/"}


def test_a_learner_gets_at_most_one_push_a_day(learner: Any, subscribe: Any, push_service: PushService) -> None:
    subscribe(learner)
    morning = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)

    with travel_to(morning):
        first = do_push(learner, **PUSH)
    with travel_to(morning + timedelta(hours=12)):
        second = do_push(learner, **{**PUSH, "kind": "badge_awarded", "title": "Badge earned"})
    with travel_to(morning + timedelta(days=1)):
        next_day = do_push(learner, **PUSH)

    assert (first, second, next_day) == (True, False, True)
    assert [r.payload["title"] for r in push_service.received] == ["Keep your streak", "Keep your streak"]


def test_the_day_is_the_learners_own_local_day(learner: Any, subscribe: Any, push_service: PushService) -> None:
    learner.timezone = "Pacific/Auckland"  # UTC+13 in December
    learner.save(update_fields=["timezone"])
    subscribe(learner)

    with travel_to(datetime(2026, 12, 7, 10, 30, tzinfo=UTC)):  # 23:30 on the 7th in Auckland
        assert do_push(learner, **PUSH) is True
    with travel_to(datetime(2026, 12, 7, 11, 30, tzinfo=UTC)):  # 00:30 on the 8th: a new day there
        assert do_push(learner, **PUSH) is True


def _push_on(day: int, learner: Any) -> bool:
    """A push on ``day`` days from now (negative: in the past)."""
    with travel_to(timezone.now() + timedelta(days=day)):
        return do_push(learner, **PUSH)


def test_pushes_stop_after_three_in_a_row_go_unanswered(
    learner: Any, subscribe: Any, push_service: PushService
) -> None:
    subscribe(learner)
    assert [_push_on(day, learner) for day in (1, 2, 3)] == [True, True, True]

    assert _push_on(4, learner) is False

    assert len(push_service.received) == 3
    assert PushSettings.objects.get(user=learner).paused_at is not None


def test_a_click_on_a_push_keeps_them_coming(learner: Any, subscribe: Any, push_service: PushService) -> None:
    subscribe(learner)
    for day in (1, 2, 3):
        _push_on(day, learner)

    # the learner clicks the last one: the click address records it and opens the page
    response = Client().get(push_service.received[-1].payload["url"])

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert PushMessage.objects.filter(clicked_at__isnull=False).count() == 1
    assert _push_on(4, learner) is True


def test_a_visit_since_the_pushes_keeps_them_coming(learner: Any, subscribe: Any, push_service: PushService) -> None:
    subscribe(learner)
    course = make_course("Seven days of tea")
    do_enroll(learner, course)
    for day in (-3, -2, -1):
        _push_on(day, learner)

    client = Client()
    client.force_login(learner)
    assert client.get(f"/courses/{course.slug}/day/1/").status_code == 200  # the learner came back by themselves

    assert _push_on(0, learner) is True


def test_a_learner_who_asks_again_after_the_pause_gets_pushes_again(
    learner: Any, subscribe: Any, push_service: PushService
) -> None:
    subscribe(learner)
    for day in (1, 2, 3):
        _push_on(day, learner)
    assert _push_on(4, learner) is False

    client = Client()
    client.force_login(learner)
    page = client.get("/profile/push/")
    assert "We paused your push reminders" in page.content.decode()
    with travel_to(timezone.now() + timedelta(days=4, hours=1)):  # later that day
        client.post("/profile/push/", {"resume": "1"})

    assert _push_on(5, learner) is True
