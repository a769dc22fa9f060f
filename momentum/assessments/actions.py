"""Writes of the assessments app: putting and removing a lesson's quiz, marking it reviewed, and
grading a learner's attempt (which completes the lesson through learning's action when passed)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from momentum.assessments.models import Option, Question, Quiz
from momentum.assessments.specs import QuizSpec, quiz_spec_problems
from momentum.catalog.models import Lesson
from momentum.ops.actions import do_record_audit


class InvalidQuiz(ValueError):
    """The quiz breaks one or more rules; ``problems`` name the questions."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@transaction.atomic
def do_put_quiz(
    actor: Any, lesson: Lesson, spec: QuizSpec, *, needs_review: bool = False, request: HttpRequest | None = None
) -> Quiz:
    """Make ``spec`` the lesson's quiz, replacing any quiz it had (its questions and options; the
    attempts made so far are kept with the quiz row). Raises ``InvalidQuiz`` on a broken spec."""
    problems = quiz_spec_problems(spec)
    if problems:
        raise InvalidQuiz(problems)
    quiz, created = Quiz.objects.select_for_update().get_or_create(
        lesson=lesson,
        defaults={"pass_percent": spec.pass_percent, "max_attempts": spec.max_attempts, "needs_review": needs_review},
    )
    if not created:
        quiz.pass_percent = spec.pass_percent
        quiz.max_attempts = spec.max_attempts
        quiz.needs_review = needs_review
        quiz.save()
        quiz.questions.all().delete()
    for position, question_spec in enumerate(spec.questions):
        question = Question.objects.create(
            quiz=quiz,
            position=position,
            kind=question_spec.kind.value,
            prompt=question_spec.prompt.strip(),
            explanation=question_spec.explanation.strip(),
            accepted_answers=[answer.strip() for answer in question_spec.accepted_answers if answer.strip()],
        )
        Option.objects.bulk_create(
            Option(question=question, position=index, text=option.text.strip(), is_correct=option.correct)
            for index, option in enumerate(question_spec.options)
        )
    if actor is not None:
        do_record_audit(
            "quiz.created" if created else "quiz.updated", actor=actor, resource=quiz, request=request,
            metadata={"lesson_id": lesson.pk, "questions": len(spec.questions), "needs_review": needs_review},
        )  # fmt: skip
    return quiz


@transaction.atomic
def do_delete_quiz(actor: Any, lesson: Lesson, *, request: HttpRequest | None = None) -> bool:
    """Remove the lesson's quiz (and its attempts). False when it had none."""
    quiz = Quiz.objects.filter(lesson=lesson).first()
    if quiz is None:
        return False
    do_record_audit("quiz.deleted", actor=actor, resource=quiz, request=request, metadata={"lesson_id": lesson.pk})
    quiz.delete()
    return True


@transaction.atomic
def do_mark_quiz_reviewed(actor: Any, lesson: Lesson, *, request: HttpRequest | None = None) -> None:
    """A person has looked at the lesson's quiz: clear ``needs_review`` (nothing when no quiz)."""
    quiz = Quiz.objects.select_for_update().filter(lesson=lesson, needs_review=True).first()
    if quiz is None:
        return
    quiz.needs_review = False
    quiz.save(update_fields=["needs_review", "updated_at"])
    if actor is not None:
        do_record_audit("quiz.reviewed", actor=actor, resource=quiz, request=request, metadata={"lesson_id": lesson.pk})
