"""Writes of the learning app: enrolment, progress, course completion and its certificate.

A learning action records its learning event and business metric, and awards the badges it
earns through an explicit call to the achievements app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone

from momentum.achievements.actions import do_award_badges
from momentum.achievements.models import BadgeAward
from momentum.analytics.actions import do_record_event
from momentum.analytics.models import EventKind
from momentum.assessments.queries import lesson_quiz_passed
from momentum.audit.actions import do_record_audit
from momentum.billing.queries import has_premium_access
from momentum.catalog.models import Course, Lesson
from momentum.learning import queries
from momentum.learning.audit_actions import AuditAction
from momentum.learning.models import Certificate, Enrollment, LessonProgress
from momentum.learning.streaks import local_date
from momentum.lib.problems import Problem
from momentum.observability import metrics


@transaction.atomic
@transaction.atomic  # the enrolment, its event and its audit record are written together or not at all
def do_enroll(
    user: Any, course: Course, *, request: HttpRequest | None = None, now: datetime | None = None
) -> tuple[Enrollment, bool]:
    """Enrol ``user`` (idempotent): returns the enrolment and whether it was created now."""
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing, False
    if not has_premium_access(user, course):
        raise Problem(402, "payment_required", "This premium course needs a purchase or a premium plan.")
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(user=user, course=course, enrolled_at=now or timezone.now())
    except IntegrityError:  # a concurrent request enrolled first
        return Enrollment.objects.get(user=user, course=course), False
    do_record_event(EventKind.ENROLLED, user=user, course=course, occurred_at=enrollment.enrolled_at)
    do_record_audit(AuditAction.ENROLLMENT_CREATED, actor=user, resource=enrollment, request=request,
                    metadata={"course_id": course.pk})  # fmt: skip
    transaction.on_commit(metrics.ENROLLMENTS.inc)
    return enrollment, True


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


def do_record_lesson_view(user: Any, lesson: Lesson) -> None:
    if getattr(user, "is_authenticated", False):
        do_record_event(EventKind.LESSON_VIEWED, user=user, course=lesson.course, lesson=lesson)


@dataclass
class ProgressResult:
    progress: LessonProgress
    enrollment: Enrollment
    lesson_completed_now: bool = False
    course_completed_now: bool = False
    badges: list[BadgeAward] = field(default_factory=list)


@transaction.atomic
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
    and award badges. The enrolment row is locked, so concurrent requests for one course take
    turns and only one of them sees the lesson become complete."""
    now = now or timezone.now()
    enrollment = Enrollment.objects.select_for_update().filter(user=user, course_id=lesson.course_id).first()
    if enrollment is None:
        raise Problem(403, "not_enrolled", "Enrol in this course before recording progress.")
    progress, _ = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"course_id": lesson.course_id, "created_at": now}
    )
    result = ProgressResult(progress=progress, enrollment=enrollment)
    if position_seconds is not None:
        progress.position_seconds = position_seconds
    if completed and not progress.completed:
        if not lesson_quiz_passed(user, lesson):
            raise Problem(409, "quiz_not_passed", "Pass this lesson's quiz to complete the lesson.")
        progress.completed = True
        progress.completed_at = now
        progress.completed_on = local_date(user, now)
        result.lesson_completed_now = True
    progress.save()
    enrollment.last_activity_at = now
    if result.lesson_completed_now:
        do_record_event(
            EventKind.LESSON_COMPLETED, user=user, course=lesson.course, lesson=lesson, value=lesson.duration_minutes,
            occurred_at=now,
        )  # fmt: skip
        transaction.on_commit(metrics.LESSON_COMPLETIONS.inc)
        if enrollment.completed_at is None and _every_lesson_done(user, lesson.course_id):
            _complete(enrollment, user, lesson.course, now)
            result.course_completed_now = True
    enrollment.save(update_fields=["last_activity_at", "completed_at", "updated_at"])
    if result.lesson_completed_now:
        stats = queries.learner_stats(user, today=progress.completed_on)
        result.badges = do_award_badges(user, stats.facts(), now=now)
    return result


def _every_lesson_done(user: Any, course_id: int) -> bool:
    done = LessonProgress.objects.filter(lesson=OuterRef("pk"), user=user, completed=True)
    lessons = Lesson.objects.filter(course_id=course_id)
    return lessons.exists() and not lessons.exclude(Exists(done)).exists()


def _complete(enrollment: Enrollment, user: Any, course: Course, now: datetime) -> None:
    enrollment.completed_at = max(now, enrollment.enrolled_at)
    Certificate.objects.get_or_create(enrollment=enrollment, defaults={"issued_at": enrollment.completed_at})
    do_record_event(EventKind.COURSE_COMPLETED, user=user, course=course, occurred_at=enrollment.completed_at)
    transaction.on_commit(metrics.COURSE_COMPLETIONS.inc)


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
