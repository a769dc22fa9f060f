"""Writes of the learning app: enrolment, progress, course completion and its certificate.

A learning action records its learning event and business metric, and awards the badges it
earns through an explicit call to the achievements app.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from momentum.accounts.actions import do_notify
from momentum.accounts.models import NotificationKind, User
from momentum.achievements.actions import do_award_badges
from momentum.achievements.models import BadgeAward
from momentum.analytics.actions import do_record_event, do_record_event_later
from momentum.analytics.models import EventKind
from momentum.assessments.queries import lesson_quiz_passed
from momentum.audit.actions import do_record_audit
from momentum.billing.queries import has_premium_access
from momentum.catalog.models import Course, Lesson
from momentum.credentials.actions import do_issue_certificate
from momentum.learning import queries
from momentum.learning.audit_actions import AuditAction
from momentum.learning.models import Cohort, Enrollment, LessonProgress
from momentum.learning.streaks import local_date
from momentum.lib import clock, write_buffer
from momentum.lib.plain_rows import PlainRows
from momentum.lib.problems import Conflict, Invalid, Problem
from momentum.lib.write_buffer import WriteBuffer
from momentum.observability import metrics
from momentum.xapi import queries as xapi_queries
from momentum.xapi import statements as xapi_statements
from momentum.xapi.actions import record_statement


@transaction.atomic  # the enrolment, its event and its audit record are written together or not at all
def do_enroll(
    user: Any,
    course: Course,
    *,
    cohort_id: int | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[Enrollment, bool]:
    """Enrol ``user`` (idempotent): returns the enrolment and whether it was created now.

    In the cohort ``cohort_id`` when given (422 when it is not one of the course's, 409 ``cohort_full``
    at capacity); otherwise in the next upcoming cohort of the course with room, if there is one.
    The cohort row is locked while its learners are counted, so two learners never take its last place.
    """
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing, False
    if not has_premium_access(user, course):
        raise Problem(402, "payment_required", _("This premium course needs a purchase or a premium plan."))
    now = now or clock.now()
    cohort = _cohort_for(user, course, cohort_id, now)
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(user=user, course=course, cohort=cohort, enrolled_at=now)
    except IntegrityError:  # a concurrent request enrolled first (or the database found the cohort full)
        first = Enrollment.objects.filter(user=user, course=course).first()
        if first is None:
            raise _cohort_full(cohort) from None
        return first, False
    do_record_event(EventKind.ENROLLED, user=user, course=course, occurred_at=enrollment.enrolled_at)
    record_statement(user, lambda actor: xapi_statements.registered(actor, enrollment), now=now)
    do_record_audit(AuditAction.ENROLLMENT_CREATED, actor=user, resource=enrollment, request=request,
                    metadata={"course_id": course.pk, "cohort_id": enrollment.cohort_id})  # fmt: skip
    transaction.on_commit(metrics.ENROLLMENTS.inc)
    return enrollment, True


def _cohort_full(cohort: Cohort | None) -> Problem:
    name = cohort.name if cohort is not None else "This cohort"
    return Conflict(
        "cohort_full",
        _("%(name)s is full: choose another cohort.") % {"name": name},
        cohort_id=getattr(cohort, "pk", None),
    )


def _has_room(cohort: Cohort) -> bool:
    return cohort.capacity is None or Enrollment.objects.filter(cohort=cohort).count() < cohort.capacity


def _cohort_for(user: Any, course: Course, cohort_id: int | None, now: datetime) -> Cohort | None:
    """The cohort a new enrolment joins, its row locked (FOR UPDATE) until the enrolment commits."""
    cohorts = Cohort.objects.select_for_update().filter(course=course)
    if cohort_id is not None:
        chosen = cohorts.filter(pk=cohort_id).first()
        if chosen is None:
            raise Invalid("cohort_id", _("is not a cohort of this course"), rule="cohort")
        if not _has_room(chosen):
            raise _cohort_full(chosen)
        return chosen
    today = local_date(user, now)
    for upcoming in cohorts.filter(starts_on__gte=today).order_by("starts_on", "pk"):
        if _has_room(upcoming):
            return upcoming
    return None


@transaction.atomic
def do_unenroll(user: Any, course: Course, *, request: HttpRequest | None = None) -> bool:
    """Leave a course (progress is kept for a later return). False when not enrolled."""
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    if enrollment is None:
        return False
    do_record_audit(AuditAction.ENROLLMENT_DELETED, actor=user, resource=enrollment, request=request,
                    metadata={"course_id": course.pk})  # fmt: skip
    enrollment.delete()
    do_record_event(EventKind.UNENROLLED, user=user, course=course)
    return True


def _write_activity(pending: dict[Hashable, datetime]) -> None:
    """Move each enrolment's last activity to its buffered time, never back (a synchronous progress
    write may have stored a later one meanwhile): the enrolments are locked and read in one query,
    then those whose time is older are updated in one statement.

    The rows are locked in the order of their keys: every web process flushes its own buffer, and
    two batches locking shared enrolments in different orders deadlocked on PostgreSQL (seen in
    `make bench`: a flush refused every few seconds, retried, and waiting a second each time). One
    UPDATE per enrolment cost a tenth of a web process's CPU under `make bench`'s progress writes."""
    if len(pending) == 1:  # one row: one conditional UPDATE, no order to keep
        ((pk, at),) = pending.items()
        stale_row = Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=at)
        Enrollment.objects.filter(stale_row, pk=cast(int, pk)).update(last_activity_at=at)
        return
    with transaction.atomic():
        stored = Enrollment.objects.select_for_update().filter(pk__in=list(pending)).order_by("pk")
        stale = [
            Enrollment(pk=pk, last_activity_at=pending[pk])
            for pk, at in stored.values_list("pk", "last_activity_at")
            if at is None or at < pending[pk]
        ]
        Enrollment.objects.bulk_update(stale, ["last_activity_at"], batch_size=500)


LAST_ACTIVITY: WriteBuffer[datetime] = write_buffer.register(
    WriteBuffer("enrollment_activity", _write_activity, interval=settings.WRITE_BUFFER_SECONDS, merge=max)
)


def do_record_lesson_view(
    user: Any, lesson: Lesson, enrollment: Enrollment | None = None, *, now: datetime | None = None
) -> None:
    """A learner opened a lesson: its view event and the enrolment's last activity, both buffered
    (no write in the page's request; a crash may lose a second of them, never progress). With an LRS
    configured, its xAPI statement goes to the outbox now: statements are never dropped."""
    if not getattr(user, "is_authenticated", False):
        return
    now = now or clock.now()
    do_record_event_later(EventKind.LESSON_VIEWED, user=user, course=lesson.course, lesson=lesson, occurred_at=now)
    if enrollment is not None:
        LAST_ACTIVITY.add(now, key=enrollment.pk)
    if xapi_queries.enabled():
        with transaction.atomic():
            record_statement(user, lambda actor: _lesson_experienced(actor, user, lesson, now), now=now)


def _lesson_experienced(actor: Any, user: Any, lesson: Lesson, now: datetime) -> xapi_statements.Built | None:
    """A lesson seen by an enrolled learner (a preview seen by someone not enrolled has no registration)."""
    enrollment = Enrollment.objects.filter(user=user, course_id=lesson.course_id).select_related("course").first()
    return None if enrollment is None else xapi_statements.lesson_experienced(actor, enrollment, lesson, now)


# A progress PUT's read and write of the lesson's progress, in plain SQL (lib/plain_rows.py): a
# player sends one every few seconds.
_PROGRESS_OF_LESSON = PlainRows(LessonProgress, "user_id = %s AND lesson_id = %s")
_COMPLETED_PROGRESS_OF_LESSON = PlainRows(LessonProgress, "user_id = %s AND lesson_id = %s AND completed")
_PROGRESS_FIELDS = ["position_seconds", "completed", "completed_at", "completed_on", "updated_at"]


@dataclass
class ProgressResult:
    progress: LessonProgress
    enrollment: Enrollment
    lesson_completed_now: bool = False
    course_completed_now: bool = False
    badges: list[BadgeAward] = field(default_factory=list)


def do_record_progress(
    user: Any,
    lesson: Lesson,
    *,
    completed: bool,
    position_seconds: int | None = None,
    now: datetime | None = None,
) -> ProgressResult:
    """Upsert the learner's progress on a lesson. Completion is sticky (``completed=False`` later
    only moves the position); the first completion records the event, may complete the course
    and award badges. A write that completes nothing moves the enrolment's last activity through
    the write buffer (``LAST_ACTIVITY``)."""
    now = now or clock.now()
    moved = _move_position(user, lesson, completed=completed, position_seconds=position_seconds, now=now)
    if moved is not None:
        return moved
    return _record_progress_in_turn(user, lesson, completed=completed, position_seconds=position_seconds, now=now)


def _move_position(
    user: Any, lesson: Lesson, *, completed: bool, position_seconds: int | None, now: datetime
) -> ProgressResult | None:
    """The write a player repeats while a lesson plays: the lesson's row is there, and the PUT
    completes nothing new on it (it does not ask to, or the lesson is complete already). One
    ``UPDATE`` of the position, in autocommit, after the enrolment's read: no transaction and no
    lock, since nothing another write decides can change (completion is sticky, and a position is
    its last writer's). None when the row is not there or the PUT completes it: that write takes
    its turn on the enrolment."""
    enrollment = _open_to(user, lesson, queries.enrollment_of(user, lesson.course), now)
    values: dict[str, Any] = {"updated_at": now}
    if position_seconds is not None:
        values["position_seconds"] = position_seconds
    rows = (_COMPLETED_PROGRESS_OF_LESSON if completed else _PROGRESS_OF_LESSON).update(values, [user.pk, lesson.pk])
    if not rows:
        return None
    LAST_ACTIVITY.add(now, key=enrollment.pk)
    return ProgressResult(progress=rows[0], enrollment=enrollment)


def _open_to(user: Any, lesson: Lesson, enrollment: Enrollment | None, now: datetime) -> Enrollment:
    """``enrollment``, if there is one and the learner may open the lesson (a premium course's
    access, the day open); else the Problem."""
    if enrollment is None:
        raise Problem(403, "not_enrolled", _("Enrol in this course before recording progress."))
    refused = queries.lesson_refusal(user, lesson, enrollment=enrollment, now=now)
    if refused is not None:
        raise refused
    return enrollment


@transaction.atomic
def _record_progress_in_turn(
    user: Any, lesson: Lesson, *, completed: bool, position_seconds: int | None, now: datetime
) -> ProgressResult:
    """The first write of a lesson's progress, or its completion. The enrolment row is locked, so
    concurrent requests for one course take turns and only one of them sees the lesson become
    complete."""
    enrollment = _open_to(user, lesson, queries.locked_enrollment(user, lesson.course_id), now)
    progress = _PROGRESS_OF_LESSON.first([user.pk, lesson.pk])
    completing = completed and (progress is None or not progress.completed)
    if completing and not lesson_quiz_passed(user, lesson):
        raise Problem(409, "quiz_not_passed", _("Pass this lesson's quiz to complete the lesson."))
    first_write = progress is None
    if progress is None:  # the first write of this lesson: the enrolment's lock keeps it the only one
        progress = LessonProgress(user=user, lesson=lesson, course_id=lesson.course_id, created_at=now)
    result = ProgressResult(progress=progress, enrollment=enrollment)
    if position_seconds is not None:
        progress.position_seconds = position_seconds
    if completing:
        progress.completed = True
        progress.completed_at = now
        progress.completed_on = local_date(user, now)
        result.lesson_completed_now = True
    if first_write:  # one INSERT with what this write sets
        try:
            with transaction.atomic():
                progress.save(force_insert=True)
        except IntegrityError:  # written meanwhile by a path that does not take the enrolment's lock
            return _record_progress_in_turn(
                user, lesson, completed=completed, position_seconds=position_seconds, now=now
            )  # it is there now: this write updates it
    else:
        progress.save(update_fields=_PROGRESS_FIELDS)
    if not result.lesson_completed_now:  # only the activity time moves: buffered, as a lesson view's
        LAST_ACTIVITY.add(now, key=enrollment.pk)
        return result
    enrollment.last_activity_at = now
    do_record_event(
        EventKind.LESSON_COMPLETED, user=user, course=lesson.course, lesson=lesson, value=lesson.duration_minutes,
        occurred_at=now,
    )  # fmt: skip
    record_statement(user, lambda actor: xapi_statements.lesson_completed(actor, enrollment, lesson, now), now=now)
    transaction.on_commit(metrics.LESSON_COMPLETIONS.inc)
    if enrollment.completed_at is None and queries.every_lesson_done(user.pk, lesson.course_id):
        _complete(enrollment, user, lesson.course, now)
        result.course_completed_now = True
    enrollment.save(update_fields=["last_activity_at", "completed_at", "updated_at"])
    stats = queries.learner_stats(user, today=progress.completed_on)
    result.badges = do_award_badges(user, stats.facts(), now=now)
    return result


def _complete(enrollment: Enrollment, user: Any, course: Course, now: datetime) -> None:
    enrollment.completed_at = max(now, enrollment.enrolled_at)
    completed_at = enrollment.completed_at
    record_statement(user, lambda actor: xapi_statements.course_completed(actor, enrollment, completed_at), now=now)
    do_issue_certificate(enrollment)
    do_record_event(EventKind.COURSE_COMPLETED, user=user, course=course, occurred_at=enrollment.completed_at)
    with translation.override(getattr(user, "language", "") or translation.get_language()):
        title = _("You finished %(title)s") % {"title": course.title}
        body = _("All %(days)s days done. Your certificate is on your dashboard.") % {"days": course.duration_days}
    do_notify(
        user, kind=NotificationKind.COURSE_COMPLETED, title=title,
        body=body,
        url=reverse("learning:dashboard"),
    )  # fmt: skip
    transaction.on_commit(metrics.COURSE_COMPLETIONS.inc)
    from momentum.lti.actions import do_report_course_completed

    do_report_course_completed(user, course.pk, enrollment.completed_at)  # to the LMS gradebook, if they came by LTI


@transaction.atomic
def do_set_reminders(user: Any, *, enabled: bool, request: HttpRequest | None = None) -> None:
    """Turn the daily reminder email on or off (the unsubscribe link, the profile)."""
    if user.reminder_emails == enabled:
        return
    user.reminder_emails = enabled
    user.save(update_fields=["reminder_emails", "updated_at"])
    do_record_audit(
        AuditAction.REMINDERS_SUBSCRIBED if enabled else AuditAction.REMINDERS_UNSUBSCRIBED,
        actor=user, subject=user, resource=user, request=request,
    )  # fmt: skip


@transaction.atomic
def do_create_cohort(
    course: Course,
    *,
    name: str,
    starts_on: date,
    capacity: int | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Cohort:
    """A new cohort of ``course``; 409 ``cohort_name_taken`` when the course has one of that name."""
    try:
        with transaction.atomic():
            cohort = Cohort.objects.create(course=course, name=name, starts_on=starts_on, capacity=capacity)
    except IntegrityError:
        raise Conflict(
            "cohort_name_taken", _("This course already has a cohort named %(name)r.") % {"name": name}
        ) from None
    do_record_audit(AuditAction.COHORT_CREATED, actor=actor, resource=cohort, request=request,
                    metadata={"course_id": course.pk, "name": name, "starts_on": starts_on.isoformat(),
                              "capacity": capacity})  # fmt: skip
    return cohort


@transaction.atomic
def do_open_all_days(
    enrollment: Enrollment,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Enrollment:
    """Open every day of the course for one learner (an admin's decision, e.g. a learner who asks to go
    faster). Idempotent: a second call keeps the first moment and records nothing."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.all_days_open_since is not None:
        return enrollment
    enrollment.all_days_open_since = now or clock.now()
    enrollment.save(update_fields=["all_days_open_since", "updated_at"])
    do_record_audit(AuditAction.ENROLLMENT_ALL_DAYS_OPENED, actor=actor, subject=enrollment.user, resource=enrollment,
                    request=request, metadata={"course_id": enrollment.course_id})  # fmt: skip
    return enrollment
