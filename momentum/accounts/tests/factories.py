"""Objects across apps for the accounts tests and the access matrix: a course, and a learner's history in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from momentum.accounts.models import User
from momentum.achievements.models import Badge, BadgeAward, Rule
from momentum.analytics.actions import do_record_event
from momentum.analytics.models import EventKind
from momentum.billing.models import Payment, PaymentStatus, Product, Provider
from momentum.catalog.models import Category, Course, Lesson, Pacing, Status
from momentum.learning.models import Certificate, Enrollment, LessonProgress


def make_course(slug: str = "sleep-better", *, title: str = "Sleep better", days: int = 7, **fields: Any) -> Course:
    """A published course with one lesson per day; day 1 is a free preview. Self-paced unless
    ``pacing`` says otherwise (new courses default to DAILY; these tests are not about pacing)."""
    fields.setdefault("pacing", Pacing.SELF_PACED)
    course = Course.objects.create(
        slug=slug,
        title=title,
        description="Seven small changes for deeper sleep.",
        category=Category.objects.get(slug="health-wellness"),
        duration_days=days,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        **fields,
    )
    for day in range(1, days + 1):
        Lesson.objects.create(
            course=course, day=day, title=f"Day {day}", content_markdown=f"Lesson {day}.", is_preview=day == 1
        )
    return course


@dataclass
class History:
    course: Course
    enrollment: Enrollment
    progress: LessonProgress
    award: BadgeAward
    payment: Payment


def make_history(user: User, course: Course | None = None) -> History:
    """An enrolment with one completed lesson, a certificate, a badge, a paid course and their events."""
    course = course or make_course(f"course-of-{user.pk}", title=f"Course of {user.pk}")
    now = timezone.now()
    lesson = course.lessons.get(day=1)
    enrollment = Enrollment.objects.create(user=user, course=course, enrolled_at=now, completed_at=now)
    progress = LessonProgress.objects.create(
        user=user, lesson=lesson, course=course, completed=True, completed_at=now, completed_on=now.date()
    )
    Certificate.objects.create(enrollment=enrollment)
    badge, _ = Badge.objects.get_or_create(
        code="first-lesson",
        defaults={
            "name": "First step", "description": "Completed a first lesson.", "criteria": "Complete one lesson.",
            "rule": Rule.LESSONS_COMPLETED, "threshold": 1,
        },
    )  # fmt: skip
    award = BadgeAward.objects.create(user=user, badge=badge)
    payment = Payment.objects.create(
        user=user, product=Product.COURSE, course=course, amount_cents=900, status=PaymentStatus.SUCCEEDED,
        provider=Provider.SANDBOX, paid_at=now,
    )  # fmt: skip
    do_record_event(EventKind.ENROLLED, user=user, course=course)
    do_record_event(EventKind.LESSON_COMPLETED, user=user, course=course, lesson=lesson, value=10)
    return History(course=course, enrollment=enrollment, progress=progress, award=award, payment=payment)
