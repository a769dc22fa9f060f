"""Quizzes for the demo catalogue's lessons, written by the offline quiz writer (called by
``generation.demo.seed``, after ``assessments.demo`` has put its hand-written quizzes).

Every demo lesson without a quiz gets the one a generated course would get: the local text
provider's cloze questions from the lesson's own sentences (no reference passages: the demo
courses have none), kept only when they pass ``quiz_keys.quiz_problems``, then the course's keys
shuffled by ``quiz_keys.balanced_keys`` so no option position holds more than 40 % of them.
The demo courses are published, so the quizzes are saved reviewed. Deterministic (the writer
is, and the shuffle is seeded by the course's slug) and idempotent: a lesson that has a quiz,
hand-written or from an earlier seed, keeps it; a lesson the writer cannot make a valid quiz
for goes without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from momentum.assessments.actions import do_put_quiz
from momentum.assessments.specs import QuizSpec
from momentum.catalog.models import Course, Lesson
from momentum.generation import quiz_keys
from momentum.generation.providers.base import CourseBrief, LessonDraft, Outline, OutlineDay
from momentum.generation.providers.offline.local_text import LocalTextProvider
from momentum.lib.terms import sentences

_HEADING = re.compile(r"^#{2,3}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_MARKUP = re.compile(r"[*_`>#]+")


@dataclass(frozen=True)
class Seeded:
    made: int  # quizzes saved
    without: list[tuple[str, int]]  # (course slug, day) of the lessons the writer found no valid quiz for


def seed_quizzes(admin: Any) -> Seeded:
    """A written quiz for every demo lesson that has none (see the module docstring)."""
    lessons = (
        Lesson.objects.filter(course__metadata__demo=True, quiz__isnull=True)
        .select_related("course__category")
        .order_by("course__slug", "day")
    )
    by_course: dict[int, list[Lesson]] = {}
    for lesson in lessons:
        by_course.setdefault(lesson.course_id, []).append(lesson)
    made, without = 0, []
    for course_lessons in by_course.values():
        course = course_lessons[0].course
        quizzes, missing = course_quizzes(course, course_lessons)
        without += [(course.slug, day) for day in missing]
        with transaction.atomic():
            by_day = {lesson.day: lesson for lesson in course_lessons}
            for day, spec in quiz_keys.balanced_keys(quizzes, seed=course.slug).quizzes.items():
                do_put_quiz(admin, by_day[day], spec, needs_review=False)
                made += 1
    return Seeded(made, without)


def course_quizzes(course: Course, lessons: list[Lesson]) -> tuple[dict[int, QuizSpec], list[int]]:
    """The valid quizzes the offline writer makes for ``lessons`` (by day), and the days it made none for."""
    brief = CourseBrief(
        topic=course.title,
        duration_days=course.duration_days,
        level=course.level,
        category=course.category.name,
    )
    # The plan the writer draws the course's terms from: every day of the course, not only
    # the lessons asked about.
    outline = Outline.model_construct(
        title=course.title,
        description=course.description,
        days=[_plan(lesson) for lesson in course.lessons.order_by("day")],
    )
    provider = LocalTextProvider()
    quizzes: dict[int, QuizSpec] = {}
    missing: list[int] = []
    for lesson in lessons:
        draft = LessonDraft.model_construct(
            title=lesson.title,
            summary=_summary(lesson),
            content_markdown=lesson.content_markdown,
            narration="",
            duration_minutes=lesson.duration_minutes,
        )
        spec = quiz_keys.spec_from_draft(provider.quiz(brief, outline, draft, lesson.day, ()).value)
        if quiz_keys.quiz_problems(spec, [lesson.content_markdown]):
            missing.append(lesson.day)
        else:
            quizzes[lesson.day] = spec
    return quizzes, missing


def _plan(lesson: Lesson) -> OutlineDay:
    """A day of the plan as the outline step would have written it: its title, what it is about
    (the lesson's first sentence) and its objectives (the lesson's section headings)."""
    headings = [" ".join(_MARKUP.sub("", heading).split()) for heading in _HEADING.findall(lesson.content_markdown)]
    return OutlineDay.model_construct(
        day=lesson.day, title=lesson.title, summary=_summary(lesson), objectives=[h for h in headings if h]
    )


def _summary(lesson: Lesson) -> str:
    prose = _HEADING.sub("", lesson.content_markdown)
    first = sentences(prose)
    return first[0] if first else lesson.title
