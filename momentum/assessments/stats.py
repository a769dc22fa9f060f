"""The per-course question report: how each quiz question performs.

For every question of the course's quizzes (in day order):

    attempts         submitted attempts that answered it (every attempt, retakes included)
    percent_correct  the share of those attempts that got it right
    discrimination   the point-biserial correlation between getting it right and the learner's
                     total: over each learner's FIRST attempt at the quiz (what they knew before
                     retaking), correctness 0/1 against the learner's mean first-attempt score
                     over all of the course's quizzes. None with fewer than two learners, or
                     when everyone got it right (or wrong), or all totals are the same.
    needs_attention  percent_correct < 50 (most learners miss it) or discrimination < 0 (strong
                     learners miss it more often than weak ones: often a wrong key or a trick)

A quiz that is put again gets new questions: its earlier attempts answered the old ones and do
not count for the new.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from momentum.assessments.models import Attempt, Question
from momentum.catalog.models import Course

ATTENTION_PERCENT = 50


@dataclass(frozen=True)
class QuestionStat:
    question_id: int
    lesson_day: int
    position: int
    prompt: str
    attempts: int
    percent_correct: float | None
    discrimination: float | None

    @property
    def needs_attention(self) -> bool:
        return (self.percent_correct is not None and self.percent_correct < ATTENTION_PERCENT) or (
            self.discrimination is not None and self.discrimination < 0
        )


def question_stats(course: Course) -> list[QuestionStat]:
    questions = list(
        Question.objects.filter(quiz__lesson__course=course)
        .select_related("quiz__lesson")
        .order_by("quiz__lesson__day", "position")
    )
    attempts = list(
        Attempt.objects.filter(quiz__lesson__course=course)
        .order_by("user_id", "quiz_id", "number")
        .values("user_id", "quiz_id", "number", "score_percent", "answers")
    )
    # Every attempt's answers, per question; and each learner's first attempt per quiz.
    answered: dict[int, list[bool]] = defaultdict(list)
    first: dict[tuple[int, int], dict[int, bool]] = {}
    first_scores: dict[int, list[int]] = defaultdict(list)
    for attempt in attempts:
        marks = {int(a["question_id"]): bool(a["correct"]) for a in attempt["answers"] if "question_id" in a}
        for question_id, correct in marks.items():
            answered[question_id].append(correct)
        key = (attempt["user_id"], attempt["quiz_id"])
        if key not in first:
            first[key] = marks
            first_scores[attempt["user_id"]].append(attempt["score_percent"])
    totals = {user: statistics.fmean(scores) for user, scores in first_scores.items()}
    stats = []
    for question in questions:
        question_marks = answered.get(question.pk, [])
        pairs = [
            (1.0 if firsts[question.pk] else 0.0, totals[user])
            for (user, quiz_id), firsts in first.items()
            if quiz_id == question.quiz_id and question.pk in firsts
        ]
        stats.append(
            QuestionStat(
                question_id=question.pk,
                lesson_day=question.quiz.lesson.day,
                position=question.position + 1,
                prompt=question.prompt,
                attempts=len(question_marks),
                percent_correct=round(100 * sum(question_marks) / len(question_marks), 1) if question_marks else None,
                discrimination=_point_biserial(pairs),
            )
        )
    return stats


def _point_biserial(pairs: list[tuple[float, float]]) -> float | None:
    """Pearson's r between a 0/1 mark and a score, which is the point-biserial correlation."""
    if len(pairs) < 2:
        return None
    marks, totals = zip(*pairs, strict=True)
    if len(set(marks)) < 2 or len(set(totals)) < 2:
        return None
    return round(statistics.correlation(marks, totals), 3)
