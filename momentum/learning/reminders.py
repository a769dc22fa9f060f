"""The daily reminder: one email a day, at the learner's local reminder hour, to learners with an
unfinished course who have not completed a lesson today; with a one-click unsubscribe.

The scheduled workflow (workflows.py) runs every hour and picks the time zones where it is now
the reminder hour. A ReminderDelivery row (unique per learner and local day) is written before
the email leaves, so a retried or repeated run never sends a second reminder that day.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse

from momentum.accounts.models import User
from momentum.catalog.models import Status
from momentum.learning import queries
from momentum.learning.models import Enrollment, LessonProgress, ReminderDelivery
from momentum.learning.streaks import local_date, zone_named

UNSUBSCRIBE_SALT = "momentum.learning.reminders.unsubscribe"


def unsubscribe_token(user: Any) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_for_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return User.objects.filter(pk=data["u"]).first()


def _zones_at_hour(moment: datetime, hour: int, zones: list[str]) -> list[str]:
    return [name for name in zones if moment.astimezone(zone_named(name)).hour == hour]


def due_learner_ids(moment: datetime, hour: int | None = None) -> list[int]:
    """Learners to remind at ``moment``: reminder hour in their zone, reminders on, an active
    enrolment in a published, unfinished course, no lesson completed today, none sent today."""
    hour = settings.REMINDER_HOUR if hour is None else hour
    learners = User.objects.filter(is_active=True, email_verified=True, reminder_emails=True, erased_at__isnull=True)
    active = Enrollment.objects.filter(user=OuterRef("pk"), completed_at__isnull=True, course__status=Status.PUBLISHED)
    learners = learners.filter(Exists(active))
    zones = _zones_at_hour(moment, hour, list(learners.values_list("timezone", flat=True).distinct()))
    due: list[int] = []
    for zone in zones:  # one query per time zone at the reminder hour, whatever the number of learners
        today = moment.astimezone(zone_named(zone)).date()
        learned_today = LessonProgress.objects.filter(user=OuterRef("pk"), completed=True, completed_on=today)
        reminded_today = ReminderDelivery.objects.filter(user=OuterRef("pk"), local_date=today)
        due.extend(
            learners.filter(timezone=zone)
            .exclude(Exists(learned_today))
            .exclude(Exists(reminded_today))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return due


def send_reminder(user_id: int, moment: datetime) -> bool:
    """Send today's reminder to one learner (at most once per local day). True when sent."""
    user = User.objects.filter(pk=user_id, reminder_emails=True, is_active=True).first()
    if user is None:
        return False
    today: date = local_date(user, moment)
    enrollments = [e for e in queries.enrollments_with_progress(user) if e.completed_at is None and e.next_lesson_day]
    due = [(e, *named) for e in enrollments if (named := _day_to_name(user, e, moment)) is not None]
    if not due:
        return False
    try:
        with transaction.atomic():
            ReminderDelivery.objects.create(user=user, local_date=today)
            _send(user, *due[0])
    except IntegrityError:
        return False  # already reminded today
    return True


def _day_to_name(user: User, enrollment: Any, moment: datetime) -> tuple[int, bool] | None:
    """The day a reminder names, and whether it opened today: in a daily-paced course the latest open
    day, and no reminder while no day is open yet or the learner has done every open day; otherwise
    (self-paced, or every day opened for them) the learner's next lesson."""
    open_day = queries.schedule_of(user, enrollment.course, enrollment).open_day(moment)
    if open_day is None:
        return int(enrollment.next_lesson_day), False
    opened = min(open_day, enrollment.course.duration_days)
    if opened < 1 or enrollment.next_lesson_day > opened:
        return None
    return opened, open_day == opened


def _send(user: User, enrollment: Any, day: int, daily: bool) -> None:
    site = settings.SITE_URL
    token = unsubscribe_token(user)
    unsubscribe = site + reverse("learning:unsubscribe", args=[token])
    context = {
        "user": user,
        "course": enrollment.course,
        "day": day,
        "opened_today": daily,
        "next_day": enrollment.next_lesson_day,
        "lesson_url": site + reverse("learning:lesson", args=[enrollment.course.slug, enrollment.next_lesson_day]),
        "unsubscribe_url": unsubscribe,
        "site_name": settings.SITE_NAME,
    }
    subject = (
        f"Day {day} of {enrollment.course.title} is open"
        if daily
        else f"Day {day} of {enrollment.course.title} is waiting for you"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("learning/email/reminder.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058
        },
    )
    message.attach_alternative(render_to_string("learning/email/reminder.html", context), "text/html")
    message.send()
