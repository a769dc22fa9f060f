"""What a quiz is, as plain data, and the rules a quiz must keep (no ORM here).

The studio, the admin API and the course generator all describe a quiz as a ``QuizSpec``;
``quiz_spec_problems`` is the one place that says whether it is a quiz a learner may take.
Each problem names its question (1-based) so the author can find it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

MIN_OPTIONS = 2
MAX_OPTIONS = 6
MAX_QUESTIONS = 50
DEFAULT_PASS_PERCENT = 70


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    SHORT_TEXT = "short_text"


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE})


@dataclass(frozen=True)
class OptionSpec:
    text: str
    correct: bool


@dataclass(frozen=True)
class QuestionSpec:
    kind: QuestionKind
    prompt: str
    explanation: str
    options: tuple[OptionSpec, ...] = ()
    accepted_answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuizSpec:
    questions: tuple[QuestionSpec, ...]
    pass_percent: int = DEFAULT_PASS_PERCENT
    max_attempts: int | None = None


def normalise_answer(text: str) -> str:
    """How answers are compared: Unicode-normalised (NFKC), trimmed, case-folded, inner runs of
    whitespace made one space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def quiz_spec_problems(spec: QuizSpec) -> list[str]:
    """Every rule ``spec`` breaks, as sentences for the author; ``[]`` when it is a valid quiz."""
    problems: list[str] = []
    if not 0 <= spec.pass_percent <= 100:
        problems.append("The pass mark must be between 0 and 100 percent.")
    if spec.max_attempts is not None and spec.max_attempts < 1:
        problems.append("The attempt limit must be at least 1 (or none).")
    if not spec.questions:
        problems.append("A quiz needs at least one question.")
    if len(spec.questions) > MAX_QUESTIONS:
        problems.append(f"A quiz has at most {MAX_QUESTIONS} questions.")
    for number, question in enumerate(spec.questions, start=1):
        problems.extend(f"Question {number}: {problem}" for problem in question_problems(question))
    return problems


def question_problems(question: QuestionSpec) -> list[str]:
    problems: list[str] = []
    if not question.prompt.strip():
        problems.append("the question needs a prompt")
    if question.kind not in set(QuestionKind):
        return [*problems, f"unknown question kind {question.kind!r}"]
    if question.kind == QuestionKind.SHORT_TEXT:
        if question.options:
            problems.append("a short-text question has no options")
        if not any(normalise_answer(answer) for answer in question.accepted_answers):
            problems.append("a short-text question needs at least one accepted answer")
        return problems
    if question.accepted_answers:
        problems.append("only a short-text question has accepted answers")
    return problems + _choice_problems(question)


def _choice_problems(question: QuestionSpec) -> list[str]:
    problems: list[str] = []
    options = question.options
    right = sum(1 for option in options if option.correct)
    if question.kind == QuestionKind.TRUE_FALSE:
        if len(options) != 2:
            problems.append("a true/false question has exactly two options")
    elif not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        problems.append(f"a choice question needs {MIN_OPTIONS} to {MAX_OPTIONS} options")
    if any(not normalise_answer(option.text) for option in options):
        problems.append("every option needs a text")
    texts = [normalise_answer(option.text) for option in options]
    if len(set(texts)) != len(texts):
        problems.append("two options say the same thing")
    if question.kind == QuestionKind.SINGLE and right != 1:
        problems.append("a single-choice question needs exactly one right option")
    if question.kind == QuestionKind.TRUE_FALSE and right != 1:
        problems.append("a true/false question needs exactly one right option")
    if question.kind == QuestionKind.MULTIPLE and (right < 1 or right == len(options)):
        problems.append("a multiple-choice question needs at least one right and one wrong option")
    return problems
