"""Shapes of the quiz operations (API.md: Learning and Administration)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from momentum.assessments.specs import MAX_OPTIONS, MAX_QUESTIONS, OptionSpec, QuestionKind, QuestionSpec, QuizSpec
from momentum.lib.input_types import JsonBool

# --- learner ----------------------------------------------------------------------------------


class LearnerOptionOut(Schema):
    id: int
    text: str


class LearnerQuestionOut(Schema):
    id: int
    kind: QuestionKind
    prompt: str
    options: list[LearnerOptionOut]


class LearnerQuizOut(Schema):
    lesson_id: int
    pass_percent: int
    max_attempts: int | None
    attempts_used: int
    passed: bool
    questions: list[LearnerQuestionOut]


class AnswerIn(Schema):
    question_id: int
    option_ids: list[int] = Field(default_factory=list, max_length=MAX_OPTIONS)
    text: str | None = Field(default=None, max_length=500)


class AttemptIn(Schema):
    answers: list[AnswerIn] = Field(max_length=MAX_QUESTIONS * 2)
    started_at: datetime | None = None


class QuestionResultOut(Schema):
    question_id: int
    correct: bool
    correct_option_ids: list[int]
    accepted_answers: list[str]
    explanation: str


class AttemptOut(Schema):
    id: int
    number: int
    score_percent: int
    passed: bool
    attempts_used: int
    attempts_left: int | None
    lesson_completed: bool
    results: list[QuestionResultOut]


# --- authoring --------------------------------------------------------------------------------


class OptionIn(Schema):
    text: str = Field(max_length=500)
    correct: JsonBool


class QuestionIn(Schema):
    kind: QuestionKind
    prompt: str = Field(max_length=2000)
    explanation: str = Field(default="", max_length=4000)
    options: list[OptionIn] = Field(default_factory=list, max_length=20)
    accepted_answers: list[str] = Field(default_factory=list, max_length=20)


class QuizIn(Schema):
    pass_percent: int = Field(default=70)
    max_attempts: int | None = None
    questions: list[QuestionIn] = Field(max_length=MAX_QUESTIONS * 2)

    def spec(self) -> QuizSpec:
        return QuizSpec(
            questions=tuple(
                QuestionSpec(
                    kind=q.kind,
                    prompt=q.prompt,
                    explanation=q.explanation,
                    options=tuple(OptionSpec(o.text, o.correct) for o in q.options),
                    accepted_answers=tuple(q.accepted_answers),
                )
                for q in self.questions
            ),
            pass_percent=self.pass_percent,
            max_attempts=self.max_attempts,
        )


class AuthorOptionOut(Schema):
    id: int
    text: str
    correct: bool = Field(validation_alias="is_correct")


class AuthorQuestionOut(Schema):
    id: int
    kind: str
    prompt: str
    explanation: str
    options: list[AuthorOptionOut]
    accepted_answers: list[str]

    @staticmethod
    def resolve_options(question: Any) -> list[Any]:
        return list(question.options.all())


class AuthorQuizOut(Schema):
    id: int
    lesson_id: int
    pass_percent: int
    max_attempts: int | None
    needs_review: bool
    questions: list[AuthorQuestionOut]

    @staticmethod
    def resolve_questions(quiz: Any) -> list[Any]:
        return list(quiz.questions.prefetch_related("options"))


class QuestionStatOut(Schema):
    question_id: int
    lesson_day: int
    position: int
    prompt: str
    attempts: int
    percent_correct: float | None
    discrimination: float | None
    needs_attention: bool
