"""Writes of the assessments app: putting and removing a lesson's quiz, marking it reviewed, and
grading a learner's attempt (which completes the lesson through learning's action when passed)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from momentum.accounts.models import User
from momentum.analytics.actions import do_record_event
from momentum.analytics.models import EventKind
from momentum.assessments.audit_actions import AuditAction
from momentum.assessments.models import Attempt, Option, Question, Quiz
from momentum.assessments.queries import quiz_with_questions
from momentum.assessments.specs import QuestionKind, QuizSpec, normalise_answer, quiz_spec_problems
from momentum.audit.actions import do_record_audit
from momentum.catalog.models import Lesson
from momentum.learning.actions import do_record_progress
from momentum.learning.models import Enrollment
from momentum.learning.queries import lesson_refusal, locked_enrollment
from momentum.lib import plain_rows
from momentum.lib.problems import Problem
from momentum.xapi import statements as xapi_statements
from momentum.xapi.actions import record_statement


class InvalidQuiz(ValueError):
    """The quiz breaks one or more rules; ``problems`` name the questions."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@transaction.atomic
def do_put_quiz(
    actor: User | None,
    lesson: Lesson,
    spec: QuizSpec,
    *,
    needs_review: bool = False,
    request: HttpRequest | None = None,
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
    # Two inserts, whatever the length of the quiz (bulk_create sets the questions' keys on
    # PostgreSQL and SQLite >= 3.35): seed-demo saves hundreds of quizzes.
    questions = Question.objects.bulk_create(
        Question(
            quiz=quiz,
            position=position,
            kind=question_spec.kind.value,
            prompt=question_spec.prompt.strip(),
            explanation=question_spec.explanation.strip(),
            accepted_answers=[answer.strip() for answer in question_spec.accepted_answers if answer.strip()],
        )
        for position, question_spec in enumerate(spec.questions)
    )
    Option.objects.bulk_create(
        Option(question=question, position=index, text=option.text.strip(), is_correct=option.correct)
        for question, question_spec in zip(questions, spec.questions, strict=True)
        for index, option in enumerate(question_spec.options)
    )
    if actor is not None:
        do_record_audit(
            AuditAction.QUIZ_CREATED if created else AuditAction.QUIZ_UPDATED,
            actor=actor,
            resource=quiz,
            request=request,
            metadata={"lesson_id": lesson.pk, "questions": len(spec.questions), "needs_review": needs_review},
        )
    return quiz


@transaction.atomic
def do_delete_quiz(actor: User | None, lesson: Lesson, *, request: HttpRequest | None = None) -> bool:
    """Remove the lesson's quiz (and its attempts). False when it had none."""
    quiz = Quiz.objects.filter(lesson=lesson).first()
    if quiz is None:
        return False
    do_record_audit(
        AuditAction.QUIZ_DELETED, actor=actor, resource=quiz, request=request, metadata={"lesson_id": lesson.pk}
    )
    quiz.delete()
    return True


@transaction.atomic
def do_mark_quiz_reviewed(actor: User | None, lesson: Lesson, *, request: HttpRequest | None = None) -> None:
    """A person has looked at the lesson's quiz: clear ``needs_review`` (nothing when no quiz)."""
    quiz = Quiz.objects.select_for_update().filter(lesson=lesson, needs_review=True).first()
    if quiz is None:
        return
    quiz.needs_review = False
    quiz.save(update_fields=["needs_review", "updated_at"])
    if actor is not None:
        do_record_audit(
            AuditAction.QUIZ_REVIEWED, actor=actor, resource=quiz, request=request, metadata={"lesson_id": lesson.pk}
        )


@dataclass(frozen=True)
class Answer:
    """What a learner answered to one question: chosen option ids, or a typed text."""

    question_id: int
    option_ids: tuple[int, ...] = ()
    text: str | None = None


@dataclass
class AttemptResult:
    attempt: Attempt
    quiz: Quiz
    attempts_used: int
    results: list[QuestionResult] = field(default_factory=list)
    lesson_completed_now: bool = False

    @property
    def attempts_left(self) -> int | None:
        if self.quiz.max_attempts is None:
            return None
        return max(self.quiz.max_attempts - self.attempts_used, 0)


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    correct: bool
    correct_option_ids: list[int]
    accepted_answers: list[str]
    explanation: str


@transaction.atomic
def do_submit_attempt(
    user: Any,
    lesson: Lesson,
    answers: list[Answer],
    *,
    started_at: datetime | None = None,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> AttemptResult:
    """Grade ``answers`` to the lesson's quiz on the server and record the attempt, for a caller
    who may open the lesson (``lesson_refusal``: enrolled, a premium course's access, the day open).

    The learner's enrolment row is locked, so two submissions of one learner take turns: attempt
    numbers stay consecutive and the attempt limit holds. A passing attempt completes the lesson
    through learning's own action (events, course completion, badges)."""
    now = now or timezone.now()
    enrollment = locked_enrollment(user, lesson.course_id)
    refused = lesson_refusal(user, lesson, enrollment=enrollment)
    if refused is not None:
        raise refused
    found = quiz_with_questions(lesson)  # the same for every learner: from the catalogue's cache
    if found is None:
        raise Problem(404, "no_quiz", _("This lesson has no quiz."))
    quiz, questions = found
    if enrollment is None:  # an admin, who may open every lesson, takes a quiz as a learner
        raise Problem(403, "not_enrolled", _("Enrol in this course to take its quizzes."))
    used = plain_rows.count(Attempt, "quiz_id = %s AND user_id = %s", [quiz.pk, user.pk])
    if quiz.max_attempts is not None and used >= quiz.max_attempts:
        raise Problem(
            409,
            "no_attempts_left",
            _("This quiz allows %(max_attempts)s attempts; all are used.") % {"max_attempts": quiz.max_attempts},
        )
    chosen = _checked_answers(questions, answers)
    results = [_grade(question, chosen[question.pk]) for question in questions]
    right = sum(1 for result in results if result.correct)
    score = round(100 * right / len(questions))
    if started_at is not None and not started_at <= now:
        started_at = None  # a clock from the future is not a duration
    attempt = Attempt.objects.create(
        quiz=quiz,
        user=user,
        number=used + 1,
        score_percent=score,
        passed=score >= quiz.pass_percent,
        answers=[
            {"question_id": q.pk, **chosen[q.pk].as_json(), "correct": r.correct}
            for q, r in zip(questions, results, strict=True)
        ],
        started_at=started_at,
        submitted_at=now,
    )
    seconds = int((now - started_at).total_seconds()) if started_at is not None else None
    do_record_event(
        EventKind.QUIZ_ATTEMPTED, user=user, course=lesson.course, lesson=lesson, value=score, occurred_at=now,
        properties={"quiz_id": quiz.pk, "attempt": attempt.number, "passed": attempt.passed, "seconds": seconds},
    )  # fmt: skip
    _record_statements(user, lesson, quiz, questions, attempt, right=right, seconds=seconds)
    from momentum.lti.actions import do_report_quiz_attempt

    do_report_quiz_attempt(user, lesson.course_id, lesson.day, score, now)  # to the LMS gradebook, if they came by LTI
    result = AttemptResult(attempt=attempt, quiz=quiz, attempts_used=used + 1, results=results)
    if attempt.passed:
        progress = do_record_progress(user, lesson, completed=True, now=now)
        result.lesson_completed_now = progress.lesson_completed_now
    return result


def _record_statements(
    user: Any, lesson: Lesson, quiz: Quiz, questions: list[Question], attempt: Attempt, *, right: int,
    seconds: int | None,
) -> None:  # fmt: skip
    """xAPI: "answered" for each question, then "passed" or "failed" with the score."""
    now = attempt.submitted_at
    enrollment = functools.cache(  # read once, and only when xAPI is on
        lambda: Enrollment.objects.select_related("course", "cohort").get(user=user, course_id=lesson.course_id)
    )
    answers = {answer["question_id"]: answer for answer in attempt.answers}

    def answered(question: Question) -> Callable[[Any], xapi_statements.Built]:
        return lambda actor: xapi_statements.question_answered(
            actor, enrollment(), quiz, lesson, question, answer=answers[question.pk], occurred_at=now
        )

    for question in questions:
        record_statement(user, answered(question), now=now)
    record_statement(user, lambda actor: xapi_statements.quiz_graded(
        actor, enrollment(), quiz, lesson, right=right, questions=len(questions), passed=attempt.passed,
        occurred_at=now, seconds=seconds), now=now)  # fmt: skip


@dataclass(frozen=True)
class _Chosen:
    option_ids: frozenset[int]
    text: str

    def as_json(self) -> dict[str, Any]:
        return {"option_ids": sorted(self.option_ids), "text": self.text}


def _checked_answers(questions: list[Question], answers: list[Answer]) -> dict[int, _Chosen]:
    """Each question's answer, or 422 ``invalid_answers`` naming every question that is unknown,
    answered twice, left unanswered or answered with options that are not its own."""
    by_id = {question.pk: question for question in questions}
    number = {question.pk: index for index, question in enumerate(questions, start=1)}
    errors: list[dict[str, Any]] = []
    chosen: dict[int, _Chosen] = {}
    for answer in answers:
        question = by_id.get(answer.question_id)
        if question is None:
            errors.append(_error(answer.question_id, _("is not a question of this quiz")))
        elif answer.question_id in chosen:
            errors.append(
                _error(answer.question_id, _("question %(number)s is answered twice") % {"number": number[question.pk]})
            )
        else:
            chosen[question.pk] = _Chosen(frozenset(answer.option_ids), (answer.text or "").strip())
            message = _answer_problem(question, chosen[question.pk])
            if message:
                errors.append(
                    _error(
                        question.pk,
                        _("question %(number)s: %(problem)s") % {"number": number[question.pk], "problem": message},
                    )
                )
    errors.extend(
        _error(question.pk, _("question %(number)s is not answered") % {"number": number[question.pk]})
        for question in questions
        if question.pk not in chosen
    )
    if errors:
        raise Problem(
            422, "invalid_answers", capfirst("; ".join(error["message"] for error in errors)) + ".", errors=errors
        )
    return chosen


def _error(question_id: int, message: str) -> dict[str, Any]:
    return {"field": f"answers.{question_id}", "message": message, "rule": "invalid_answers"}


def _answer_problem(question: Question, chosen: _Chosen) -> str:
    own = {option.pk for option in question.options.all()}
    if question.kind == QuestionKind.SHORT_TEXT:
        return "" if chosen.text and not chosen.option_ids else _("type an answer")
    if not chosen.option_ids:
        return _("choose an option")
    if not chosen.option_ids <= own:
        return _("an option that is not one of its own")
    if question.kind != QuestionKind.MULTIPLE and len(chosen.option_ids) != 1:
        return _("choose exactly one option")
    return ""


def _grade(question: Question, chosen: _Chosen) -> QuestionResult:
    right = [option.pk for option in question.options.all() if option.is_correct]
    accepted = list(question.accepted_answers)
    if question.kind == QuestionKind.SHORT_TEXT:
        correct = normalise_answer(chosen.text) in {normalise_answer(answer) for answer in accepted}
    else:
        correct = chosen.option_ids == frozenset(right)
    return QuestionResult(question.pk, correct, right, accepted, question.explanation)
