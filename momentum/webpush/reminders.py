"""Push reminders at each learner's chosen local hour: "today's lesson is open", "streak at risk".

``send_due_push_reminders(moment)`` is the one call a scheduler makes each hour (this app's
workflow ``webpush.push_reminders`` does; learning's daily reminder workflow may call it instead).
do_push's rules hold: one push a day, none after repeated ignores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from momentum.accounts.models import User
from momentum.learning import queries as learning
from momentum.learning.models import LessonProgress
from momentum.learning.streaks import local_date, zone_named
from momentum.webpush.actions import do_push
from momentum.webpush.models import PushKind, PushSettings, PushSubscription


@dataclass(frozen=True)
class Reminder:
    kind: str
    title: str
    body: str
    url: str


def due_push_learner_ids(moment: datetime) -> list[int]:
    """Learners with a subscription for whom ``moment`` falls in their chosen (or the site's) local hour."""
    subscribed = PushSubscription.objects.filter(user=OuterRef("pk"))
    learners = User.objects.filter(Exists(subscribed), is_active=True, erased_at__isnull=True)
    chosen = dict(PushSettings.objects.filter(user__in=learners).values_list("user_id", "reminder_hour"))
    due = []
    for user_id, zone in learners.order_by("pk").values_list("pk", "timezone"):
        hour = chosen.get(user_id)
        hour = settings.REMINDER_HOUR if hour is None else hour
        if moment.astimezone(zone_named(zone)).hour == hour:
            due.append(user_id)
    return due


def reminder_for(user: Any, moment: datetime) -> Reminder | None:
    """What to remind the learner of now, if anything: a day that opened today, else a streak at risk."""
    today = local_date(user, moment)
    if LessonProgress.objects.filter(user=user, completed=True, completed_on=today).exists():
        return None
    streak = learning.streak_of(user, today).current
    for enrollment in learning.enrollments_with_progress(user):
        if enrollment.completed_at is not None or not enrollment.next_lesson_day:
            continue
        course = enrollment.course
        day = int(enrollment.next_lesson_day)
        open_day = learning.open_day_of(user, course, enrollment, moment)  # a daily day opens at local midnight
        if open_day is not None and day > open_day:
            continue  # done with every open day: nothing to do today
        url = reverse("learning:lesson", args=[course.slug, day])
        if open_day is not None and day == open_day:
            return Reminder(
                PushKind.LESSON_OPEN,
                gettext("Day %(day)d is open") % {"day": day},
                gettext("Today's lesson of %(course)s") % {"course": course.title},
                url,
            )
        if streak > 0:
            return Reminder(
                PushKind.STREAK_AT_RISK,
                gettext("Keep your %(days)d-day streak") % {"days": streak},
                gettext("One lesson of %(course)s today keeps it going.") % {"course": course.title},
                url,
            )
    return None


def send_push_reminder(user_id: int, moment: datetime) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    with translation.override(user.language or settings.LANGUAGE_CODE):  # off the request: the person's language
        reminder = reminder_for(user, moment)
    if reminder is None:
        return False
    return do_push(user, kind=reminder.kind, title=reminder.title, body=reminder.body, url=reminder.url)


def send_due_push_reminders(moment: datetime) -> int:
    return sum(send_push_reminder(user_id, moment) for user_id in due_push_learner_ids(moment))
