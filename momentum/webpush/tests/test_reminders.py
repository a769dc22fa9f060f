"""Push reminders at the learner's chosen local hour: "today's lesson is open", "streak at risk"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from momentum.catalog.models import Pacing
from momentum.learning.actions import do_enroll, do_record_progress
from momentum.lib.clock import travel_to
from momentum.webpush.actions import do_set_reminder_hour
from momentum.webpush.reminders import due_push_learner_ids, send_due_push_reminders
from momentum.webpush.tests.push_service import PushService
from tests.factories import make_course

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 12, 7, tzinfo=UTC)


@pytest.fixture
def madrid_learner(learner: Any, subscribe: Any) -> Any:
    learner.timezone = "Europe/Madrid"  # UTC+1 in December
    learner.save(update_fields=["timezone"])
    subscribe(learner)
    return learner


def test_a_learner_is_due_at_the_hour_they_chose_in_their_own_time_zone(madrid_learner: Any) -> None:
    do_set_reminder_hour(madrid_learner, 7)

    assert due_push_learner_ids(MONDAY.replace(hour=6, minute=5)) == [madrid_learner.pk]  # 07:05 in Madrid
    assert due_push_learner_ids(MONDAY.replace(hour=7, minute=5)) == []


def test_without_a_choice_the_sites_reminder_hour_applies(madrid_learner: Any, settings: Any) -> None:
    settings.REMINDER_HOUR = 18

    assert due_push_learner_ids(MONDAY.replace(hour=17)) == [madrid_learner.pk]


def test_the_reminder_hour_is_chosen_on_the_reminders_page(madrid_learner: Any) -> None:
    client = Client()
    client.force_login(madrid_learner)

    saved = client.post("/profile/push/", {"reminder_hour": "21"})
    refused = client.post("/profile/push/", {"reminder_hour": "25"})

    assert saved.status_code == 302
    assert refused.status_code == 422
    assert "Choose an hour of the day" in refused.content.decode()
    assert due_push_learner_ids(MONDAY.replace(hour=20)) == [madrid_learner.pk]


def test_the_day_that_opened_today_is_pushed_at_the_chosen_hour(madrid_learner: Any, push_service: PushService) -> None:
    course = make_course("Fourteen days of Spanish", pacing=Pacing.DAILY)
    do_enroll(madrid_learner, course, now=MONDAY - timedelta(hours=1))  # Monday 00:00 in Madrid: day 1 opens
    do_record_progress(madrid_learner, course.lessons.get(day=1), completed=True, now=MONDAY + timedelta(hours=2))
    do_set_reminder_hour(madrid_learner, 8)
    tuesday_at_eight = MONDAY + timedelta(days=1, hours=7)

    with travel_to(tuesday_at_eight):
        assert send_due_push_reminders(tuesday_at_eight) == 1

    [received] = push_service.received
    assert received.payload["kind"] == "lesson_open"
    assert received.payload["title"] == "Day 2 is open"
    assert received.payload["body"] == "Today's lesson of Fourteen days of Spanish"
    assert Client().get(received.payload["url"])["Location"] == f"/courses/{course.slug}/day/2/"


def test_a_streak_at_risk_is_pushed_when_no_lesson_is_done_today(
    madrid_learner: Any, push_service: PushService
) -> None:
    course = make_course("Seven days of sketching")
    do_enroll(madrid_learner, course, now=MONDAY)
    do_record_progress(madrid_learner, course.lessons.get(day=1), completed=True, now=MONDAY + timedelta(hours=9))
    do_set_reminder_hour(madrid_learner, 19)
    tuesday_evening = MONDAY + timedelta(days=1, hours=18)

    with travel_to(tuesday_evening):
        assert send_due_push_reminders(tuesday_evening) == 1

    assert push_service.received[0].payload["title"] == "Keep your 1-day streak"
    assert push_service.received[0].payload["kind"] == "streak_at_risk"


def test_no_reminder_once_todays_lesson_is_done(madrid_learner: Any, push_service: PushService) -> None:
    course = make_course("Seven days of sketching")
    do_enroll(madrid_learner, course, now=MONDAY)
    do_record_progress(madrid_learner, course.lessons.get(day=1), completed=True, now=MONDAY + timedelta(hours=9))
    do_set_reminder_hour(madrid_learner, 19)
    monday_evening = MONDAY + timedelta(hours=18)

    with travel_to(monday_evening):
        assert send_due_push_reminders(monday_evening) == 0
    assert push_service.received == []
