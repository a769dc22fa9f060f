"""The daily reminder and the daily notices, each at most once a learner's local day.

- The reminder email, at MOMENTUM_REMINDER_HOUR, to learners with an unfinished course who have
  not completed a lesson today; with a one-click unsubscribe.
- Notices (``do_notify``: in the app, and by email or push as the learner chose), at
  MOMENTUM_MORNING_NOTICE_HOUR: ``day_opened`` (a daily-paced course's next day opened today and is
  to do) and ``cohort_starting`` (a cohort the learner joined starts tomorrow); at
  MOMENTUM_STREAK_AT_RISK_HOUR: ``streak_at_risk`` (a streak going, nothing learned yet today).

The scheduled workflow (workflows.py) runs every hour and picks the time zones where it is now
the hour of each. A ReminderDelivery row (unique per learner, kind and local day) is written in
the transaction that sends, so a retried or repeated run never sends a second one that day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from momentum.accounts.actions import do_notify
from momentum.accounts.models import NotificationKind, User
from momentum.catalog.models import Pacing, Status
from momentum.learning import queries
from momentum.learning.models import Enrollment, LessonProgress, ReminderDelivery, ReminderKind
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
        reminded_today = ReminderDelivery.objects.filter(
            user=OuterRef("pk"), kind=ReminderKind.REMINDER, local_date=today
        )
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
            ReminderDelivery.objects.create(user=user, kind=ReminderKind.REMINDER, local_date=today)
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
    # The learner's own language once accounts stores one (issue 18), else the active one (the site's in a worker).
    with translation.override(getattr(user, "language", "") or translation.get_language()):
        names = {"day": day, "title": enrollment.course.title}
        subject = (
            gettext("Day %(day)s of %(title)s is open") % names
            if daily
            else gettext("Day %(day)s of %(title)s is waiting for you") % names
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


# --- Daily notices --------------------------------------------------------------------------------


def _learners_at_hour(
    moment: datetime, hour: int, kind: ReminderKind, learners: Any, *, learned_today_excluded: bool = False
) -> list[int]:
    """Of ``learners``, those whose local hour at ``moment`` is ``hour`` and who had no ``kind``
    today (and, when asked, completed no lesson today); one query per time zone at that hour."""
    learners = learners.filter(is_active=True, erased_at__isnull=True)
    due: list[int] = []
    for zone in _zones_at_hour(moment, hour, list(learners.values_list("timezone", flat=True).distinct())):
        today = moment.astimezone(zone_named(zone)).date()
        found = learners.filter(timezone=zone).exclude(
            Exists(ReminderDelivery.objects.filter(user=OuterRef("pk"), kind=kind, local_date=today))
        )
        if learned_today_excluded:
            found = found.exclude(
                Exists(LessonProgress.objects.filter(user=OuterRef("pk"), completed=True, completed_on=today))
            )
        due.extend(found.order_by("pk").values_list("pk", flat=True).distinct())
    return due


def _once_today(user: User, kind: ReminderKind, today: date, notify: Any) -> bool:
    """Record ``kind`` for ``user`` today and notify, together; False when it went out today already."""
    try:
        with transaction.atomic():
            ReminderDelivery.objects.create(user=user, kind=kind, local_date=today)
            notify()
    except IntegrityError:
        return False
    return True


def day_opened_learner_ids(moment: datetime) -> list[int]:
    """Learners at their morning with an unfinished, published daily-paced course."""
    daily = Enrollment.objects.filter(
        user=OuterRef("pk"), completed_at__isnull=True, course__status=Status.PUBLISHED, course__pacing=Pacing.DAILY
    )
    learners = User.objects.filter(Exists(daily))
    return _learners_at_hour(moment, settings.MORNING_NOTICE_HOUR, ReminderKind.DAY_OPENED, learners)


def send_day_opened(user_id: int, moment: datetime) -> bool:
    """ "Day N of <course> is open": the day that opened this morning, when the learner has not done it."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    opened: list[tuple[Any, int]] = []
    for enrollment in queries.enrollments_with_progress(user):
        if enrollment.completed_at is not None or enrollment.course.pacing != Pacing.DAILY:
            continue
        named = _day_to_name(user, enrollment, moment) if enrollment.next_lesson_day else None
        if named is not None and named[1] and named[0] == enrollment.next_lesson_day:  # their next day, new today
            opened.append((enrollment, named[0]))
    if not opened:
        return False
    enrollment, day = opened[0]
    course = enrollment.course
    others = len(opened) - 1
    with translation.override(getattr(user, "language", "") or translation.get_language()):
        title = _("Day %(day)s of %(title)s is open") % {"day": day, "title": course.title}
        body = (
            ngettext(
                "Today's lesson is ready (and %(count)s more course). A few minutes keep your streak going.",
                "Today's lesson is ready (and %(count)s more courses). A few minutes keep your streak going.",
                others,
            )
            % {"count": others}
            if others
            else _("Today's lesson is ready. A few minutes keep your streak going.")
        )
    return _once_today(
        user, ReminderKind.DAY_OPENED, local_date(user, moment),
        lambda: do_notify(
            user, kind=NotificationKind.DAY_OPENED, title=title, body=body,
            url=reverse("learning:lesson", args=[course.slug, enrollment.next_lesson_day]),
        ),
    )  # fmt: skip


def cohort_starting_learner_ids(moment: datetime) -> list[int]:
    """Learners at their morning whose cohort starts tomorrow (their local tomorrow)."""
    hour = settings.MORNING_NOTICE_HOUR
    in_cohort = User.objects.filter(
        Exists(Enrollment.objects.filter(user=OuterRef("pk"), cohort__isnull=False, completed_at__isnull=True))
    )
    due = _learners_at_hour(moment, hour, ReminderKind.COHORT_STARTING, in_cohort)
    return [
        user.pk
        for user in User.objects.filter(pk__in=due).order_by("pk")
        if _cohort_starting_tomorrow(user, moment) is not None
    ]


def _cohort_starting_tomorrow(user: User, moment: datetime) -> Enrollment | None:
    tomorrow = local_date(user, moment) + timedelta(days=1)
    return (
        Enrollment.objects.filter(user=user, cohort__starts_on=tomorrow, completed_at__isnull=True)
        .select_related("cohort", "course")
        .order_by("pk")
        .first()
    )


def send_cohort_starting(user_id: int, moment: datetime) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    enrollment = _cohort_starting_tomorrow(user, moment) if user is not None else None
    if user is None or enrollment is None or enrollment.cohort is None:
        return False
    course, cohort = enrollment.course, enrollment.cohort
    with translation.override(getattr(user, "language", "") or translation.get_language()):
        title = _("%(cohort)s of %(title)s starts tomorrow") % {"cohort": cohort.name, "title": course.title}
        body = _("Day 1 opens for everyone in your cohort at midnight, your time.")
    return _once_today(
        user, ReminderKind.COHORT_STARTING, local_date(user, moment),
        lambda: do_notify(
            user, kind=NotificationKind.COHORT_STARTING, title=title,
            body=body,
            url=reverse("catalog:detail", args=[course.slug]),
        ),
    )  # fmt: skip


def streak_at_risk_learner_ids(moment: datetime) -> list[int]:
    """Learners at their evening with nothing learned today who learned in the last three days (a
    streak can be going: a learned yesterday, or up to two frozen days since); ``send_streak_at_risk``
    checks the streak itself."""
    recent = LessonProgress.objects.filter(
        user=OuterRef("pk"), completed=True, completed_on__gte=(moment - timedelta(days=4)).date()
    )
    learners = User.objects.filter(Exists(recent))
    return _learners_at_hour(
        moment, settings.STREAK_AT_RISK_HOUR, ReminderKind.STREAK_AT_RISK, learners, learned_today_excluded=True
    )


def send_streak_at_risk(user_id: int, moment: datetime) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    today = local_date(user, moment)
    run = queries.streak_of(user, today)
    if run.current == 0 or queries.daily_activity(user, start=today, end=today):
        return False
    with translation.override(getattr(user, "language", "") or translation.get_language()):
        cover = (
            _("If you miss today, one of your streak freezes keeps it.")
            if run.freezes_available
            else _("No streak freeze is left to cover a missed day.")
        )
        title = _("Your %(days)s-day streak is at risk") % {"days": run.current}
        body = _("You have not learned today yet: a lesson before midnight keeps your streak.") + " " + cover
    return _once_today(
        user, ReminderKind.STREAK_AT_RISK, today,
        lambda: do_notify(
            user, kind=NotificationKind.STREAK_AT_RISK, title=title,
            body=body,
            url=reverse("learning:dashboard"),
        ),
    )  # fmt: skip
