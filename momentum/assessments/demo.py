"""Demo quizzes (called by `momentum seed-demo`, after the catalogue and the learners' history):
hand-written questions about the demo lessons' own text, in demo_quizzes/<course slug>.json.
Idempotent: a lesson that already has a quiz keeps it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from momentum.assessments.actions import do_put_quiz
from momentum.assessments.models import Quiz
from momentum.assessments.specs import OptionSpec, QuestionKind, QuestionSpec, QuizSpec
from momentum.catalog.models import Course

DEMO_DIR = Path(__file__).resolve().parent / "demo_quizzes"


def demo_quizzes() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(DEMO_DIR.glob("*.json"))]


def spec_from(quiz: dict[str, Any]) -> QuizSpec:
    return QuizSpec(
        questions=tuple(
            QuestionSpec(
                kind=QuestionKind(q["kind"]),
                prompt=q["prompt"],
                explanation=q["explanation"],
                options=tuple(OptionSpec(text, correct) for text, correct in q.get("options", [])),
                accepted_answers=tuple(q.get("accepted_answers", [])),
            )
            for q in quiz["questions"]
        ),
        pass_percent=quiz.get("pass_percent", 70),
    )


def seed(*, admin: Any, learner: Any, stdout: Any) -> None:
    made = 0
    for course_quizzes in demo_quizzes():
        course = Course.objects.filter(slug=course_quizzes["course"]).first()
        if course is None:
            continue
        for quiz in course_quizzes["quizzes"]:
            lesson = course.lessons.filter(day=quiz["day"]).first()
            if lesson is None or Quiz.objects.filter(lesson=lesson).exists():
                continue
            do_put_quiz(admin, lesson, spec_from(quiz))
            made += 1
    stdout.write(f"Demo quizzes: {made} made.")
