"""The tables of the studio's analytics page, each also exported as CSV.

Daily figures and the drop-off by lesson day read the daily rollups (through ``Snapshot``); the
completion funnel follows a cohort (enrolments and their lesson progress), and the demographics
breakdown reads accounts and enrolments, since demographics are properties of people rather than
events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When

from momentum.analytics.queries import Snapshot, completion_rate, halfway_day
from momentum.analytics.rollups import DAY_COMPLETIONS, Metric, day_metric

DAILY_COLUMNS = [
    (Metric.SIGNUPS, "Sign-ups"),
    (Metric.ACTIVE_USERS, "Active learners"),
    (Metric.ENROLLMENTS, "Enrolments"),
    (Metric.LESSON_COMPLETIONS, "Lessons completed"),
    (Metric.COMPLETIONS, "Courses completed"),
    (Metric.REVENUE_CENTS, "Revenue (cents)"),
    (Metric.GENERATION_COST_USD, "AI generation cost (USD)"),
]
DIMENSIONS = {
    "age_range": "Age",
    "gender": "Gender",
    "country": "Country",
    "education": "Education",
}


@dataclass(frozen=True)
class Table:
    """A report table: its column headings and rows of plain values (what the CSV holds). Columns
    listed in ``percent`` hold ratios, shown on the page as percentages."""

    name: str
    headings: list[str]
    rows: list[list[Any]]
    percent: frozenset[int] = frozenset()
    keys: list[Any] = field(default_factory=list)

    @property
    def display_rows(self) -> list[list[Any]]:
        return [
            [f"{cell * 100:.1f} %" if index in self.percent else cell for index, cell in enumerate(row)]
            for row in self.rows
        ]


def daily(snapshot: Snapshot, start: date, end: date) -> Table:
    metrics = [metric for metric, _ in DAILY_COLUMNS if metric != Metric.ACTIVE_USERS]
    figures = snapshot.daily(metrics, start, end)
    active = snapshot.active_series(start, end, "day")
    rows = []
    day = start
    while day <= end:
        row: list[Any] = [day.isoformat()]
        for metric, _ in DAILY_COLUMNS:
            if metric == Metric.ACTIVE_USERS:
                row.append(active.get(day, 0))
            elif metric == Metric.GENERATION_COST_USD:
                row.append(round(float(figures.get((day, metric, None), 0)), 6))
            else:
                row.append(int(figures.get((day, metric, None), 0)))
        rows.append(row)
        day += timedelta(days=1)
    return Table("daily", ["Date", *[label for _, label in DAILY_COLUMNS]], rows)


def funnel(snapshot: Snapshot, start: date, end: date) -> Table:
    """Per course, the learners who enrolled within the range, and of them how many did day 1, then
    also the halfway day, then also the last day, then completed the course, and completions /
    enrolments.

    Each stage counts a subset of the one before (a cohort, followed to today), so the funnel never
    goes up: counting each stage's events within the range instead mixed learners who enrolled
    before the range into the later stages. It reads enrolments and lesson progress, so a learner
    who erased their account leaves it (the daily figures and the drop-off keep them).
    """
    from momentum.catalog.models import DURATIONS, Course
    from momentum.learning.models import Enrollment, LessonProgress

    def did(day: Any) -> Exists:
        return Exists(
            LessonProgress.objects.filter(
                user=OuterRef("user"), course=OuterRef("course"), lesson__day=day, completed=True
            )
        )

    halfway = Case(*[When(course__duration_days=days, then=Value(halfway_day(days))) for days in DURATIONS])
    stages = [Q(first=True), Q(first=True, half=True), Q(first=True, half=True, last=True)]
    counts = (
        Enrollment.objects.filter(enrolled_at__gte=_start_of(start), enrolled_at__lt=_start_of(end + timedelta(days=1)))
        .annotate(first=did(1), half=did(halfway), last=did(F("course__duration_days")))
        .values("course")
        .annotate(
            enrolled=Count("id"),
            reached_1=Count("id", filter=stages[0]),
            reached_2=Count("id", filter=stages[1]),
            reached_3=Count("id", filter=stages[2]),
            completed=Count("id", filter=stages[2] & Q(completed_at__isnull=False)),
        )
        .order_by()
    )
    by_course = {row["course"]: row for row in counts}
    rows: list[list[Any]] = []
    for course in Course.objects.filter(pk__in=by_course).order_by("title"):
        row = by_course[course.pk]
        rows.append(
            [
                course.title,
                course.duration_days,
                row["enrolled"],
                row["reached_1"],
                row["reached_2"],
                row["reached_3"],
                row["completed"],
                completion_rate(row["completed"], row["enrolled"]),
                course.pk,
            ]
        )
    rows.sort(key=lambda row: (-row[2], row[0]))
    headings = ["Course", "Days", "Enrolled", "Did day 1", "Reached halfway", "Did the last day", "Completed"]
    return Table(
        "funnel",
        [*headings, "Completion rate"],
        [row[:-1] for row in rows],
        percent=frozenset({7}),
        keys=[row[-1] for row in rows],
    )


def _natural_key(value: str, order: dict[Any, int], labels: dict[Any, Any]) -> tuple[int, int, str]:
    if not value:
        return (1, 0, "")
    return (0, order.get(value, len(order)), str(labels.get(value, value)))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def dropoff(snapshot: Snapshot, course: Any, start: date, end: date) -> Table:
    """For one course: how many learners completed each day's lesson, and what share of day 1 that is."""
    days = snapshot.course_totals_matching(DAY_COMPLETIONS, start, end)
    counts = [int(days.get((course.pk, day_metric(day)), 0)) for day in range(1, course.duration_days + 1)]
    first = counts[0] if counts else 0
    rows = [[day, count, round(count / first, 4) if first else 0.0] for day, count in enumerate(counts, start=1)]
    return Table("dropoff", ["Day", "Lesson completions", "Share of day 1"], rows, percent=frozenset({2}))


def demographics(dimension: str, start: date, end: date) -> Table:
    """Learners who enrolled within the range, grouped by one demographic: how many, their enrolments,
    the courses they completed, and the completion rate."""
    from momentum.accounts.models import User
    from momentum.learning.models import Enrollment

    labels = dict(getattr(User._meta.get_field(dimension), "choices", None) or [])
    begin = datetime.combine(start, time.min, tzinfo=UTC)
    finish = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    in_range = Q(enrolled_at__gte=begin, enrolled_at__lt=finish)
    rows = (
        Enrollment.objects.filter(in_range)
        .values(f"user__{dimension}")
        .annotate(
            learners=Count("user", distinct=True),
            enrollments=Count("id"),
            completions=Count("id", filter=Q(completed_at__isnull=False)),
        )
        .order_by()
    )
    # In the dimension's natural order (age groups youngest first, as its choices list them; values
    # without choices, such as countries, alphabetically), with "Not given" last.
    order = {value: index for index, value in enumerate(labels)}
    rows = sorted(rows, key=lambda row: _natural_key(row[f"user__{dimension}"] or "", order, labels))
    table = []
    for row in rows:
        value = row[f"user__{dimension}"] or ""
        label = labels.get(value, value) or "Not given"
        table.append(
            [
                label,
                row["learners"],
                row["enrollments"],
                row["completions"],
                completion_rate(row["completions"], row["enrollments"]),
            ]
        )
    return Table(
        "demographics",
        [DIMENSIONS[dimension], "Learners", "Enrolments", "Completed", "Completion rate"],
        table,
        percent=frozenset({4}),
    )
