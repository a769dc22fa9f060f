"""The daily reminder: who gets it, once a day, and a one-click unsubscribe that works."""

from __future__ import annotations

import email
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dbos import DBOS
from django.conf import settings

from momentum.catalog.models import Pacing
from momentum.learning.actions import do_create_cohort, do_enroll, do_record_progress
from momentum.learning.reminders import due_learner_ids, send_reminder, unsubscribe_token
from momentum.learning.workflows import daily_reminders
from tests.factories import make_course

pytestmark = pytest.mark.django_db

# 18:00 in UTC, the default reminder hour, on a learner's ordinary day.
EVENING = datetime(2026, 3, 10, 18, 0, tzinfo=ZoneInfo("UTC"))


def messages(mail_dir: Path) -> list[email.message.Message]:
    return [email.message_from_bytes(path.read_bytes()) for path in sorted(mail_dir.glob("*.eml"))]


def test_a_learner_with_a_lesson_to_do_is_reminded_once(enrolled: Any, course: Any, eml_mail: Path) -> None:
    assert due_learner_ids(EVENING) == [enrolled.pk]
    assert send_reminder(enrolled.pk, EVENING) is True
    assert send_reminder(enrolled.pk, EVENING) is False
    assert due_learner_ids(EVENING) == []
    [message] = messages(eml_mail)
    assert message["To"] == enrolled.email
    assert "Day 1 of Seven days of Python" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/reminders/unsubscribe/" in message["List-Unsubscribe"]


def test_learners_are_reminded_at_their_own_evening(enrolled: Any) -> None:
    enrolled.timezone = "America/New_York"
    enrolled.save()
    assert due_learner_ids(EVENING) == []  # 14:00 in New York
    assert due_learner_ids(datetime(2026, 3, 10, 22, 0, tzinfo=ZoneInfo("UTC"))) == [enrolled.pk]  # 18:00 EDT


def test_no_reminder_after_todays_lesson(enrolled: Any, course: Any) -> None:
    do_record_progress(enrolled, course.lessons.get(day=1), completed=True, now=EVENING.replace(hour=9))
    assert due_learner_ids(EVENING) == []


def test_no_reminder_without_an_unfinished_course_or_with_reminders_off(learner: Any, enrolled: Any) -> None:
    assert due_learner_ids(EVENING) == [enrolled.pk]
    enrolled.reminder_emails = False
    enrolled.save()
    assert due_learner_ids(EVENING) == []


def test_the_unsubscribe_link_asks_then_unsubscribes(client: Any, enrolled: Any) -> None:
    url = f"/reminders/unsubscribe/{unsubscribe_token(enrolled)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"Unsubscribe from reminders" in page.content
    enrolled.refresh_from_db()
    assert enrolled.reminder_emails is True  # a GET (a link scanner) changes nothing
    done = client.post(url)
    assert b"no more reminders" in done.content
    enrolled.refresh_from_db()
    assert enrolled.reminder_emails is False


def test_a_mail_clients_one_click_post_unsubscribes(client: Any, enrolled: Any, eml_mail: Path) -> None:
    send_reminder(enrolled.pk, EVENING)
    [message] = messages(eml_mail)
    url = "".join(message["List-Unsubscribe"].split()).strip("<>").removeprefix(settings.SITE_URL)
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    enrolled.refresh_from_db()
    assert enrolled.reminder_emails is False


def test_a_forged_token_unsubscribes_nobody(client: Any, enrolled: Any) -> None:
    response = client.post(f"/reminders/unsubscribe/{enrolled.pk}:forged/")
    assert response.status_code == 404
    enrolled.refresh_from_db()
    assert enrolled.reminder_emails is True


@pytest.mark.usefixtures("workflows")
def test_the_scheduled_workflow_sends_the_days_reminders(learner: Any, eml_mail: Path) -> None:
    from tests.factories import make_course

    do_enroll(learner, make_course("Evening course"))
    handle = DBOS.start_workflow(daily_reminders, EVENING, None)
    assert handle.get_result() == 1
    assert len(messages(eml_mail)) == 1


def test_a_daily_course_reminder_names_the_day_that_opened_today(learner: Any, eml_mail: Path) -> None:
    # given a learner who enrolled in a daily-paced course two days ago and did day 1 and day 2
    course = make_course("Daily habits", duration_days=7, pacing=Pacing.DAILY)
    do_enroll(learner, course, now=EVENING - timedelta(days=2))
    for day in (1, 2):
        do_record_progress(learner, course.lessons.get(day=day), completed=True, now=EVENING - timedelta(days=3 - day))
    # when the evening reminder goes out on day 3
    assert send_reminder(learner.pk, EVENING) is True
    # then it names day 3, which opened today
    [message] = messages(eml_mail)
    assert message["Subject"] == "Day 3 of Daily habits is open"


def test_no_reminder_when_every_open_day_of_a_daily_course_is_done(learner: Any, eml_mail: Path) -> None:
    course = make_course("Daily habits", duration_days=7, pacing=Pacing.DAILY)
    do_enroll(learner, course, now=EVENING.replace(hour=8))
    do_record_progress(learner, course.lessons.get(day=1), completed=True, now=EVENING.replace(hour=9))
    assert send_reminder(learner.pk, EVENING + timedelta(hours=1)) is False  # day 2 opens tomorrow


def test_no_reminder_before_a_cohort_starts(learner: Any, eml_mail: Path) -> None:
    course = make_course("Daily habits", duration_days=7, pacing=Pacing.DAILY)
    cohort = do_create_cohort(course, name="Later", starts_on=EVENING.date() + timedelta(days=7))
    do_enroll(learner, course, cohort_id=cohort.pk, now=EVENING.replace(hour=8))
    assert send_reminder(learner.pk, EVENING) is False
