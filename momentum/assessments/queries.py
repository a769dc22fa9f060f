"""Reading quizzes: whether a learner passed a lesson's quiz, which lessons still need review."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from momentum.assessments.models import Attempt, Question, Quiz
from momentum.assessments.specs import OptionSpec, QuestionKind, QuestionSpec, QuizSpec
from momentum.catalog.models import Course, Lesson
from momentum.lib import plain_rows
from momentum.platform.caching import CATALOGUE

_QUIZ_PASSED_SQL = """
SELECT NOT EXISTS (SELECT 1 FROM {quiz} WHERE lesson_id = %s)
    OR EXISTS (SELECT 1 FROM {quiz} q INNER JOIN {attempt} a ON a.quiz_id = q.id
               WHERE q.lesson_id = %s AND a.user_id = %s AND a.passed)
"""


def lesson_quiz_passed(user: Any, lesson: Lesson) -> bool:
    """True when the lesson has no quiz or ``user`` has passed it: one plain SQL query, since every
    lesson completion asks it (read where the quiz's reads go: the primary in a transaction)."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    sql = _QUIZ_PASSED_SQL.format(quiz=Quiz._meta.db_table, attempt=Attempt._meta.db_table)
    return bool(plain_rows.answer(Quiz, sql, [lesson.pk, lesson.pk, user_id])[0][0])


def lessons_with_unreviewed_quiz(course: Course) -> list[int]:
    """The days of ``course`` whose quiz still needs review, in order."""
    return list(
        Quiz.objects.filter(lesson__course=course, needs_review=True)
        .order_by("lesson__day")
        .values_list("lesson__day", flat=True)
    )


@dataclass(frozen=True)
class LearnerOption:
    id: int
    text: str


@dataclass(frozen=True)
class LearnerQuestion:
    id: int
    number: int
    kind: str
    prompt: str
    options: list[LearnerOption]


@dataclass(frozen=True)
class LearnerQuiz:
    """A quiz as a learner sees it before answering: no key, options in the learner's own order."""

    quiz: Quiz
    lesson_id: int
    pass_percent: int
    max_attempts: int | None
    attempts_used: int
    passed: bool
    questions: list[LearnerQuestion]

    @property
    def attempts_left(self) -> int | None:
        return None if self.max_attempts is None else max(self.max_attempts - self.attempts_used, 0)


def quiz_of(lesson: Lesson) -> Quiz | None:
    return Quiz.objects.filter(lesson=lesson).first()


def shuffled_options(user: Any, question: Question) -> list[LearnerOption]:
    """The question's options in this learner's order: shuffled, and the same on every visit
    (seeded by the learner and the question). True/false keeps True before False."""
    options = [LearnerOption(option.pk, option.text) for option in question.options.all()]
    if question.kind != "true_false":
        user_id = user.pk if getattr(user, "is_authenticated", False) else 0
        random.Random(f"{user_id}:{question.pk}").shuffle(options)  # noqa: S311 - an order, not a secret
    return options


def learner_quiz(
    user: Any, quiz: Quiz, *, questions: list[Question] | None = None, state: AttemptState | None = None
) -> LearnerQuiz:
    """``quiz`` as ``user`` takes it; ``questions`` (with their options) and ``state`` when the
    caller has them already (the lesson page: from the cache, and in one query)."""
    state = state or attempt_state(user, quiz)
    if questions is None:
        questions = list(quiz.questions.prefetch_related("options"))
    return LearnerQuiz(
        quiz=quiz,
        lesson_id=quiz.lesson_id,
        pass_percent=quiz.pass_percent,
        max_attempts=quiz.max_attempts,
        attempts_used=state.used,
        passed=state.passed,
        questions=[
            LearnerQuestion(q.pk, number, q.kind, q.prompt, shuffled_options(user, q))
            for number, q in enumerate(questions, start=1)
        ],
    )


@dataclass(frozen=True)
class AttemptState:
    last: Attempt | None
    used: int
    passed: bool


_ATTEMPT_STATE_SQL = """
    SELECT a.*,
           (SELECT COUNT(*) FROM {table} u WHERE u.quiz_id = a.quiz_id AND u.user_id = a.user_id) AS used,
           EXISTS(SELECT 1 FROM {table} p WHERE p.quiz_id = a.quiz_id AND p.user_id = a.user_id
                  AND p.passed = %s) AS any_passed
    FROM {table} a WHERE a.quiz_id = %s AND a.user_id = %s ORDER BY a.number DESC LIMIT 1"""


def attempt_state(user: Any, quiz: Quiz) -> AttemptState:
    """The learner's last attempt at ``quiz``, how many they made, whether one passed: one query.

    Written out in SQL (the attempts' index by user, quiz and number serves all three parts):
    every lesson page with a quiz runs it, and building it with the ORM's Subquery and Exists
    cost more CPU than the database took to answer it."""
    if not getattr(user, "is_authenticated", False):
        return AttemptState(None, 0, False)
    sql = _ATTEMPT_STATE_SQL.format(table=Attempt._meta.db_table)
    last = next(iter(Attempt.objects.raw(sql, [True, quiz.pk, user.pk])), None)
    if last is None:
        return AttemptState(None, 0, False)
    return AttemptState(last, int(getattr(last, "used", 0)), bool(getattr(last, "any_passed", False)))


def last_attempt(user: Any, quiz: Quiz) -> Attempt | None:
    return attempt_state(user, quiz).last


def quiz_with_questions(lesson: Lesson) -> tuple[Quiz, list[Question]] | None:
    """The lesson's quiz with its questions and their options (the key included, for the review
    after an attempt), the same for every learner: cached until the catalogue's revision moves
    (triggers on the quiz, question and option tables move it)."""

    def load() -> tuple[Quiz, list[Question]] | None:
        quiz = quiz_of(lesson)
        return None if quiz is None else (quiz, list(quiz.questions.prefetch_related("options")))

    return CATALOGUE.get_or_build(f"quiz-of-lesson|{lesson.pk}", load)


@dataclass(frozen=True)
class ReviewedOption:
    id: int
    text: str
    chosen: bool
    correct: bool


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    prompt: str
    kind: str
    correct: bool
    options: list[ReviewedOption]
    typed: str
    accepted_answers: list[str]
    explanation: str


def attempt_review(attempt: Attempt, questions: list[Question] | None = None) -> list[ReviewedQuestion]:
    """An attempt after it was graded, question by question: what the learner chose, what was
    right and why (the key may be shown now: the learner has answered). ``questions``: the quiz's,
    with their options, when the caller has them."""
    given = {int(answer["question_id"]): answer for answer in attempt.answers}
    reviewed = []
    if questions is None:
        questions = list(attempt.quiz.questions.prefetch_related("options"))
    for number, question in enumerate(questions, start=1):
        answer = given.get(question.pk, {})
        chosen = set(answer.get("option_ids", []))
        reviewed.append(
            ReviewedQuestion(
                number=number,
                prompt=question.prompt,
                kind=question.kind,
                correct=bool(answer.get("correct", False)),
                options=[ReviewedOption(o.pk, o.text, o.pk in chosen, o.is_correct) for o in question.options.all()],
                typed=str(answer.get("text", "")),
                accepted_answers=list(question.accepted_answers),
                explanation=question.explanation,
            )
        )
    return reviewed


@dataclass
class QuizPanel:
    """What the quiz under a lesson shows: the questions (no key), and the last attempt's review."""

    quiz: LearnerQuiz
    last: Attempt | None
    review: list[ReviewedQuestion]
    errors: list[dict[str, Any]]
    chosen: dict[int, list[str]]

    @property
    def can_attempt(self) -> bool:
        left = self.quiz.attempts_left
        return not self.quiz.passed and (left is None or left > 0)

    @property
    def error_by_question(self) -> dict[int, str]:
        return {int(error["field"].split(".")[-1]): error["message"] for error in self.errors}

    @property
    def form(self) -> list[FormQuestion]:
        """The questions as the form shows them again: each with its error and what the learner
        chose or typed (after a refused submission), so the template only prints."""
        errors = self.error_by_question
        shown = []
        for question in self.quiz.questions:
            values = self.chosen.get(question.id) or []
            options = [FormOption(option.id, option.text, str(option.id) in values) for option in question.options]
            typed = values[0] if values and question.kind == "short_text" else ""
            shown.append(FormQuestion(question.id, question.number, question.kind, question.prompt, options,
                                      errors.get(question.id, ""), typed))  # fmt: skip
        return shown


@dataclass(frozen=True)
class FormOption:
    id: int
    text: str
    checked: bool


@dataclass(frozen=True)
class FormQuestion:
    id: int
    number: int
    kind: str
    prompt: str
    options: list[FormOption]
    error: str
    typed: str


def quiz_panel(
    user: Any, lesson: Lesson, *, errors: list[dict[str, Any]] | None = None, chosen: dict[int, list[str]] | None = None
) -> QuizPanel | None:
    """The lesson's quiz panel for ``user`` (None when the lesson has no quiz): the quiz from the
    cache, the learner's attempts in one query."""
    found = quiz_with_questions(lesson)
    if found is None:
        return None
    quiz, questions = found
    state = attempt_state(user, quiz)
    last = state.last
    return QuizPanel(
        quiz=learner_quiz(user, quiz, questions=questions, state=state),
        last=last,
        review=attempt_review(last, questions) if last is not None and not errors else [],
        errors=errors or [],
        chosen=chosen or {},
    )


def quiz_specs_of(lessons: list[Lesson]) -> dict[int, tuple[QuizSpec, bool]]:
    """The quizzes of ``lessons`` as specs with their answer key, and whether each awaits review,
    by lesson id (the course package export: questions and options in their stored order)."""
    quizzes = Quiz.objects.filter(lesson__in=lessons).prefetch_related("questions__options")
    found: dict[int, tuple[QuizSpec, bool]] = {}
    for quiz in quizzes:
        questions = tuple(
            QuestionSpec(
                kind=QuestionKind(question.kind),
                prompt=question.prompt,
                explanation=question.explanation,
                options=tuple(OptionSpec(option.text, option.is_correct) for option in question.options.all()),
                accepted_answers=tuple(question.accepted_answers),
            )
            for question in quiz.questions.all()
        )
        spec = QuizSpec(questions=questions, pass_percent=quiz.pass_percent, max_attempts=quiz.max_attempts)
        found[quiz.lesson_id] = (spec, quiz.needs_review)
    return found
