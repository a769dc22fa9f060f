"""What the learner's pages show, gathered from the queries: the dashboard, the learning analytics
page (its charts) and the lesson player. The views only parse, authorise and render these."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from momentum.achievements.queries import badge_shelf
from momentum.assessments.queries import quiz_panel
from momentum.discussions.queries import panel as discussion_panel
from momentum.learning import queries
from momentum.learning.recommendations import recommended_for
from momentum.lib import charts
from momentum.lib.markdown import render_cached as render_markdown
from momentum.lib.problems import Problem
from momentum.lib.video_embeds import embed_url

if TYPE_CHECKING:
    from momentum.catalog.models import Lesson
    from momentum.learning.models import Enrollment

VIDEO_EXTENSIONS = (".mp4", ".webm", ".m4v", ".ogv", ".mov")


def _today_lesson(enrollments: list[Any], done_today: bool) -> dict[str, Any] | None:
    """The next lesson of the unfinished course the learner touched last."""
    for enrollment in enrollments:
        if enrollment.completed_at is None and enrollment.next_lesson_day:
            return {"enrollment": enrollment, "day": enrollment.next_lesson_day, "done_today": done_today}
    return None


def dashboard(user: Any) -> dict[str, Any]:
    stats = queries.progress_summary(user)
    enrollments = queries.enrollment_summaries(user)
    for enrollment in enrollments:
        enrollment.percent = queries.progress_percent(enrollment)
    in_progress = sorted(
        (e for e in enrollments if e.completed_at is None),
        key=lambda e: e.last_activity_at or e.enrolled_at,
        reverse=True,
    )
    done_today = queries.daily_activity(user, start=stats.today, end=stats.today) != {}
    return {
        "stats": stats,
        "enrollments": enrollments,
        "today": _today_lesson(in_progress, done_today),
        "done_today": done_today,
        "shelf": badge_shelf(user),
        "recommended": recommended_for(user, limit=4),
    }


def analytics(user: Any) -> dict[str, Any]:
    stats = queries.progress_summary(user)
    end = stats.today
    month_start = end - timedelta(days=29)
    calendar_start = end - timedelta(weeks=17) + timedelta(days=1)
    activity = queries.daily_activity(user, start=calendar_start, end=end)
    month = queries.days_between(month_start, end)
    lessons_series = [(day.strftime("%d %b"), activity.get(day, {}).get("lessons", 0)) for day in month]
    minutes_series = [(day.strftime("%d %b"), activity.get(day, {}).get("minutes", 0)) for day in month]
    weeks = []
    for n in range(7, -1, -1):
        week_end = end - timedelta(weeks=n)
        days = queries.days_between(week_end - timedelta(days=6), week_end)
        weeks.append((f"w/e {week_end.strftime('%d %b')}", sum(activity.get(d, {}).get("minutes", 0) for d in days)))
    return {
        "stats": stats,
        "lessons_chart": charts.line(lessons_series, title="Lessons completed per day, last 30 days"),
        "minutes_chart": charts.line(minutes_series, title="Minutes learned per day, last 30 days"),
        "weeks_chart": charts.bars(weeks, title="Minutes learned per week", fmt=lambda v: f"{v:.0f} min"),
        "calendar_chart": charts.calendar(
            {day: row["lessons"] for day, row in activity.items()},
            start=calendar_start,
            end=end,
            title="Streak calendar: days with a completed lesson",
        ),
        "rows": [(day, activity.get(day, {"lessons": 0, "minutes": 0})) for day in reversed(month)],
    }


def lesson_player(
    request: HttpRequest,
    current: Lesson,
    lessons: list[Lesson],
    problem: Problem | None,
    enrollment: Enrollment | None = None,
) -> dict[str, Any]:
    """The player's content for ``current`` (one of the course's ``lessons``, in day order): nothing
    of the lesson's content when ``problem`` refuses it; ``enrollment``: the learner's, by which
    ``problem`` was judged."""
    video_src = queries.video_url(request, current) if problem is None else None
    index = lessons.index(current)
    # captions cost a query only where there is a video to caption
    captions = queries.captions_of(request, current) if video_src else queries.LessonCaptions([], None)
    return {
        "lesson": current,
        "problem": problem,
        "content": render_markdown(current.content_markdown) if problem is None else "",
        "video_src": video_src,
        # has_quiz comes with the outline: a lesson without a quiz costs no query for it
        "quiz_panel": quiz_panel(request.user, current)
        if problem is None and getattr(current, "has_quiz", True)
        else None,
        "discussion": discussion_panel(
            request.user,
            current,
            page=request.GET.get("comments_page"),
            order=request.GET.get("comments_order"),
            opened_by=enrollment,
        )
        if problem is None
        else None,
        "embed_src": embed_url(video_src) if video_src and not current.video else None,
        "captions": captions.links,
        "transcript": captions.transcript,
        "playable": bool(current.video) or (video_src or "").lower().split("?")[0].endswith(VIDEO_EXTENSIONS),
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
    }
