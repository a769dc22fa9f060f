"""Reading a learner's path: who may open a lesson, enrolments with progress, stats and streaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from momentum.achievements.rules import Facts
from momentum.billing.queries import has_premium_access
from momentum.catalog.models import Course, Lesson, Pacing
from momentum.catalog.queries import caption_tracks, is_admin, visible_courses
from momentum.learning import pacing
from momentum.learning.models import Cohort, Enrollment, LessonProgress
from momentum.learning.streaks import Streak, local_date, streak, zone_of
from momentum.lib import captions, clock, language_tags, object_keys, plain_rows
from momentum.lib.plain_rows import PlainRows
from momentum.lib.problems import Problem
from momentum.platform.caching import LEARNER

# Every signed-in course and lesson page, progress PUT and quiz attempt reads these: plain SQL
# (lib/plain_rows.py). An enrolment is unique per (user, course).
_ENROLLMENT = PlainRows(Enrollment, "user_id = %s AND course_id = %s")
_LOCKED_ENROLLMENT = PlainRows(Enrollment, "user_id = %s AND course_id = %s", lock=True)
_COHORT = PlainRows(Cohort, "id = %s")
_PROGRESS = PlainRows(LessonProgress, "user_id = %s AND course_id = %s")


def enrollment_of(user: Any, course: Course) -> Enrollment | None:
    """The learner's enrolment in ``course``, with its cohort (if any) loaded."""
    if not getattr(user, "is_authenticated", False):
        return None
    enrollment = _enrollment(_ENROLLMENT, user, course.pk)
    if enrollment is not None:
        enrollment.course = course
    return enrollment


def locked_enrollment(user: Any, course_id: int) -> Enrollment | None:
    """The learner's enrolment in the course, its row locked until the transaction ends (writes of
    one learner's progress and attempts in a course take turns on it), with its cohort loaded."""
    return _enrollment(_LOCKED_ENROLLMENT, user, course_id)


def _enrollment(rows: PlainRows[Enrollment], user: Any, course_id: int) -> Enrollment | None:
    enrollment = rows.first([user.pk, course_id])
    if enrollment is not None:
        enrollment.cohort = None if enrollment.cohort_id is None else _COHORT.first([enrollment.cohort_id])
    return enrollment


_UNSET: Any = object()


def schedule_of(user: Any, course: Course, enrollment: Enrollment | None) -> pacing.Schedule:
    """When each day of ``course`` opens for ``user``. Only an enrolled learner of a daily-paced course
    has days that are not open yet; admins, and callers not enrolled (anonymous included), see every
    day as open: their days start counting when they enrol."""
    if enrollment is None or is_admin(user):
        return pacing.OPEN
    cohort = enrollment.cohort if enrollment.cohort_id is not None else None
    return pacing.schedule(
        daily=course.pacing == Pacing.DAILY,
        zone=zone_of(user),
        enrolled_at=enrollment.enrolled_at,
        cohort_starts_on=cohort.starts_on if cohort is not None else None,
        all_open=enrollment.all_days_open_since is not None,
    )


def cohorts_of(course: Course) -> QuerySet[Cohort]:
    """The course's cohorts, soonest first, each with ``learners`` (enrolments) counted by the database."""
    return Cohort.objects.filter(course=course).annotate(learners=Count("enrollments")).order_by("starts_on", "pk")


def upcoming_cohorts(course: Course, today: date) -> list[Cohort]:
    """Cohorts starting on ``today`` or later, with ``learners`` and ``has_room``."""
    cohorts = list(cohorts_of(course).filter(starts_on__gte=today))
    for cohort in cohorts:
        cohort.has_room = cohort.capacity is None or cohort.learners < cohort.capacity  # type: ignore[attr-defined]
    return cohorts


def open_day_of(user: Any, course: Course, enrollment: Enrollment | None, now: datetime | None = None) -> int | None:
    """The latest day open for ``user`` (None when every day is open): the outline marks the rest."""
    return schedule_of(user, course, enrollment).open_day(now or clock.now())


def lesson_locked(lesson: Lesson, available_at: Any) -> Problem:
    return Problem(
        403,
        "lesson_locked",
        _("Day %(day)s is not open yet: it opens at %(at)s.") % {"day": lesson.day, "at": available_at.isoformat()},
        extra={"available_at": available_at.isoformat().replace("+00:00", "Z")},
    )


def enrollment_by_key(user: Any, course_key: str) -> Enrollment | None:
    """The caller's enrolment in the course whose id or slug is ``course_key`` (with course and cohort)."""
    if not getattr(user, "is_authenticated", False):
        return None
    enrollments = Enrollment.objects.select_related("course", "cohort").filter(user=user)
    id_or_slug = object_keys.id_or_slug(course_key)
    if isinstance(id_or_slug, int):
        return enrollments.filter(course_id=id_or_slug).first()
    return enrollments.filter(course__slug=id_or_slug).first()


def lesson_refusal(
    user: Any, lesson: Lesson, *, enrollment: Enrollment | None = _UNSET, now: datetime | None = None
) -> Problem | None:
    """Why ``user`` may not open ``lesson`` (401 anonymous, 403 not enrolled, 402 premium lapsed,
    403 ``lesson_locked`` while its day of a daily-paced course is not open yet), or None.

    Preview lessons are open to anyone who can see the course; the rest to admins and to
    enrolled learners (with access to the course when it is premium) once the day is open.
    """
    if lesson.is_preview:
        return None
    if not getattr(user, "is_authenticated", False):
        return Problem(401, "not_authenticated", _("Sign in and enrol in this course to open this lesson."))
    if is_admin(user):
        return None
    if enrollment is _UNSET:
        enrollment = _enrollment(_ENROLLMENT, user, lesson.course_id)
    if enrollment is None:
        return Problem(403, "not_enrolled", _("Enrol in this course to open this lesson."))
    if not has_premium_access(user, lesson.course):
        return Problem(402, "payment_required", _("This premium course needs a purchase or a premium plan."))
    opens = schedule_of(user, lesson.course, enrollment).available_at(lesson.day, now=now or clock.now())
    return lesson_locked(lesson, opens) if opens is not None else None


def ensure_lesson_open(user: Any, lesson: Lesson) -> None:
    problem = lesson_refusal(user, lesson)
    if problem is not None:
        raise problem


def video_url(request: HttpRequest, lesson: Lesson) -> str | None:
    """Where the lesson's video plays from: our access-checked media view, or its external address."""
    if lesson.video:
        return request.build_absolute_uri(reverse("learning:lesson_video", args=[lesson.pk]))
    return lesson.video_url or None


def caption_url(request: HttpRequest, lesson_id: int, language: str) -> str:
    """Where a lesson's captions in ``language`` are served (WebVTT, to those who may open the lesson)."""
    return request.build_absolute_uri(reverse("learning:lesson_captions", args=[lesson_id, language]))


@dataclass(frozen=True)
class CaptionLink:
    language: str
    label: str  # what the player's caption menu says
    url: str
    source: str


@dataclass(frozen=True)
class LessonCaptions:
    links: list[CaptionLink]  # the default track (the course's language, else the first) first
    transcript: str | None


def captions_of(request: HttpRequest, lesson: Lesson) -> LessonCaptions:
    """The lesson's caption tracks, and what its video says as plain text (the transcript): the
    words of the default track, the narration for a generated video; None when the lesson has no
    video or no captions."""
    tracks = caption_tracks(lesson)
    links = [
        CaptionLink(track.language, language_tags.name(track.language), caption_url(request, lesson.pk, track.language),
                    track.source)
        for track in tracks
    ]  # fmt: skip
    spoken = captions.transcript(tracks[0].vtt) if tracks and lesson.has_video else ""
    return LessonCaptions(links, spoken or None)


def _completed(user: Any) -> QuerySet[LessonProgress]:
    return LessonProgress.objects.filter(user=user, completed=True)


def enrollments_with_progress(user: Any) -> QuerySet[Any]:
    """The learner's enrolments in courses they may see, each with ``lessons_completed`` and
    ``next_lesson_day`` computed by the database (one query, whatever the number)."""
    done_in_course = (
        LessonProgress.objects.filter(user=OuterRef("user"), course=OuterRef("course"), completed=True)
        .values("course")
        .annotate(n=Count("id"))
        .values("n")
    )
    done_lesson = LessonProgress.objects.filter(lesson=OuterRef("pk"), user=OuterRef(OuterRef("user")), completed=True)
    next_day = (
        Lesson.objects.filter(course=OuterRef("course")).exclude(Exists(done_lesson)).order_by("day").values("day")[:1]
    )
    return (
        Enrollment.objects.filter(user=user, course__in=visible_courses(user).values("pk"))
        .select_related("course", "course__category", "cohort")
        .annotate(
            lessons_completed=Coalesce(Subquery(done_in_course, output_field=IntegerField()), Value(0)),
            next_lesson_day=Subquery(next_day, output_field=IntegerField()),
        )
        .order_by("completed_at", "-last_activity_at", "-enrolled_at")
    )


def course_enrollments(course: Course) -> QuerySet[Enrollment]:
    """A course's learners (the studio's and the admin API's enrolment list), newest first, each with
    ``lessons_completed`` counted by the database."""
    done = (
        LessonProgress.objects.filter(user=OuterRef("user"), course=OuterRef("course"), completed=True)
        .values("course")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Enrollment.objects.filter(course=course)
        .select_related("user", "course", "cohort")
        .annotate(lessons_completed=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)))
        .order_by("-enrolled_at", "-pk")
    )


def enrollment_of_course_or_404(enrollment_id: int) -> Enrollment:
    enrollment = Enrollment.objects.select_related("user", "course", "cohort").filter(pk=enrollment_id).first()
    if enrollment is None:
        raise Problem(404, "not_found", _("No such enrolment."))
    return enrollment


def cohort_progress(course: Course, now: datetime) -> list[dict[str, Any]]:
    """For each cohort, how many of its learners are on each day (the furthest day open to them, in
    their own time zone), for the studio course page: ``[{cohort, learners, days: {day: count}}]``."""
    rows = []
    enrollments = Enrollment.objects.filter(course=course, cohort__isnull=False).select_related("user", "cohort")
    by_cohort: dict[int, list[Enrollment]] = {}
    for enrollment in enrollments:
        by_cohort.setdefault(enrollment.cohort_id or 0, []).append(enrollment)
    for cohort in cohorts_of(course):
        days: dict[int, int] = {}
        for enrollment in by_cohort.get(cohort.pk, []):
            open_day = schedule_of(enrollment.user, course, enrollment).open_day(now)
            day = course.duration_days if open_day is None else min(open_day, course.duration_days)
            days[day] = days.get(day, 0) + 1
        rows.append({"cohort": cohort, "learners": cohort.learners, "days": dict(sorted(days.items()))})  # type: ignore[attr-defined]
    return rows


def progress_percent(enrollment: Any) -> int:
    total = enrollment.course.lesson_count
    if enrollment.completed_at is not None:
        return 100
    return min(100, round(100 * enrollment.lessons_completed / total)) if total else 0


def course_progress(user: Any, course: Course) -> dict[int, LessonProgress]:
    """The learner's progress in one course, by lesson id."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {p.lesson_id: p for p in _PROGRESS.all([user.pk, course.pk])}


@dataclass(frozen=True)
class LearnerStats:
    lessons_completed: int
    courses_completed: int
    minutes_learned: int
    current_streak_days: int
    longest_streak_days: int
    longest_course_days: int
    today: date
    streak_freezes_available: int = 0
    frozen_days: tuple[date, ...] = ()  # missed days of the current streak a freeze covered

    def facts(self) -> Facts:
        return Facts(
            lessons_completed=self.lessons_completed,
            courses_completed=self.courses_completed,
            streak_days=self.longest_streak_days,
            longest_course_days=self.longest_course_days,
        )


# A learner's figures by plain SQL: they are read at every lesson completion (for its badges), where
# compiling the ORM's aggregates cost more CPU than the database's answers (bench.request_costs,
# "lesson completion"). Table and column names are the models' own.
def _tables() -> dict[str, str]:
    return {
        "progress": LessonProgress._meta.db_table,
        "lesson": Lesson._meta.db_table,
        "enrollment": Enrollment._meta.db_table,
        "course": Course._meta.db_table,
    }


_FIGURES_SQL = """
SELECT done.n, done.minutes, finished.n, finished.longest
FROM (SELECT COUNT(p.id) AS n, SUM(l.duration_minutes) AS minutes
      FROM {progress} p INNER JOIN {lesson} l ON l.id = p.lesson_id
      WHERE p.user_id = %s AND p.completed) done,
     (SELECT COUNT(e.id) AS n, MAX(c.duration_days) AS longest
      FROM {enrollment} e INNER JOIN {course} c ON c.id = e.course_id
      WHERE e.user_id = %s AND e.completed_at IS NOT NULL) finished
"""
_DAYS_SQL = "SELECT DISTINCT completed_on FROM {progress} WHERE user_id = %s AND completed AND completed_on IS NOT NULL"
_EVERY_LESSON_DONE_SQL = """
SELECT EXISTS (SELECT 1 FROM {lesson} WHERE course_id = %s)
   AND NOT EXISTS (SELECT 1 FROM {lesson} l WHERE l.course_id = %s AND NOT EXISTS (
       SELECT 1 FROM {progress} p WHERE p.lesson_id = l.id AND p.user_id = %s AND p.completed))
"""


def _answer(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of one of the SQL statements above, read where a read of progress goes (the
    primary inside a transaction, so a completion's figures include itself)."""
    return plain_rows.answer(LessonProgress, sql.format(**_tables()), params)


def every_lesson_done(user_id: int, course_id: int) -> bool:
    """Whether the learner has completed every lesson of the course (False for a course without any)."""
    return bool(_answer(_EVERY_LESSON_DONE_SQL, [course_id, course_id, user_id])[0][0])


def _completed_days(user: Any) -> list[date]:
    """The distinct local days on which the learner completed a lesson (SQLite answers ISO text)."""
    return [day if isinstance(day, date) else date.fromisoformat(day) for (day,) in _answer(_DAYS_SQL, [user.pk])]


def streak_of(user: Any, today: date | None = None) -> Streak:
    return streak(_completed_days(user), today or local_date(user))


def learner_stats(user: Any, today: date | None = None) -> LearnerStats:
    """Two queries, whatever the learner's history."""
    today = today or local_date(user)
    ((lessons_completed, minutes, courses_completed, longest_course),) = _answer(_FIGURES_SQL, [user.pk, user.pk])
    run = streak_of(user, today)
    return LearnerStats(
        lessons_completed=lessons_completed,
        courses_completed=courses_completed,
        minutes_learned=minutes or 0,
        current_streak_days=run.current,
        longest_streak_days=run.longest,
        longest_course_days=longest_course or 0,
        today=today,
        streak_freezes_available=run.freezes_available,
        frozen_days=run.frozen_days,
    )


def progress_summary(user: Any) -> LearnerStats:
    """``learner_stats`` of today, cached for a minute and until the learner's next write."""
    today = local_date(user)
    return LEARNER.get_or_build(f"stats|{today.isoformat()}", lambda: learner_stats(user, today), owner=user.pk)


def enrollment_summaries(user: Any) -> list[Any]:
    """``enrollments_with_progress`` as a list, cached like ``progress_summary``."""
    return LEARNER.get_or_build("enrollments", lambda: list(enrollments_with_progress(user)), owner=user.pk)


def daily_activity(user: Any, *, start: date, end: date) -> dict[date, dict[str, int]]:
    """Lessons completed and minutes learned per local day between ``start`` and ``end``."""
    rows = (
        _completed(user)
        .filter(completed_on__gte=start, completed_on__lte=end)
        .values("completed_on")
        .annotate(lessons=Count("id"), minutes=Sum("lesson__duration_minutes"))
    )
    return {
        row["completed_on"]: {"lessons": row["lessons"], "minutes": row["minutes"] or 0}
        for row in rows
        if row["completed_on"] is not None
    }


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def course_analytics(course: Course, now: datetime) -> dict[str, Any]:
    """What a course's staff follow of it: learners, completions, activity in the last 7 days and
    how far learners get, day by day (the course's own figures, never the site's)."""
    enrollments = Enrollment.objects.filter(course=course)
    totals = enrollments.aggregate(total=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)))
    done = LessonProgress.objects.filter(lesson__course=course, completed=True)
    week_ago = now - timedelta(days=7)
    by_day = dict(done.values_list("lesson__day").annotate(learners=Count("user", distinct=True)).order_by())
    total, completed = int(totals["total"] or 0), int(totals["completed"] or 0)
    return {
        "course_id": course.pk,
        "enrollments_total": total,
        "enrollments_7d": enrollments.filter(enrolled_at__gte=week_ago).count(),
        "completions_total": completed,
        "completion_rate": round(completed / total, 4) if total else 0.0,
        "learners_active_7d": done.filter(completed_at__gte=week_ago).values("user").distinct().count(),
        "lessons_completed": done.count(),
        "days": [
            {"day": day, "learners_completed": int(by_day.get(day, 0))} for day in range(1, course.duration_days + 1)
        ],
    }
