"""Keys that hold: the checks a generated quiz passes before it is saved, and the shuffle that
keeps the right answers from sitting in one place.

    draft (provider) → spec → quiz_problems: the assessments rules (one right option for a
    single choice, distinct options...) + 3-5 questions + every key stated in the lesson text
    or its reference passages → balanced_keys across the course: options shuffled (seeded by
    the job, so a replay gives the same course), then no option position may hold more than
    MAX_POSITION_SHARE of the keys; reshuffled with the next seed until none does.

Pure functions on ``assessments.specs`` data: no ORM, no provider.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from momentum.assessments.specs import (
    OptionSpec,
    QuestionKind,
    QuestionSpec,
    QuizSpec,
    quiz_spec_problems,
)
from momentum.generation.providers.base import QuizDraft

MIN_QUESTIONS = 3
MAX_QUESTIONS = 5
MAX_POSITION_SHARE = 0.40
MAX_RESHUFFLES = 50
LETTERS = "ABCDEF"
SHUFFLED_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

_NOT_WORD = re.compile(r"[^\w]+")


def comparable(text: str) -> str:
    """Text as grounding compares it: NFKC, case-folded, Markdown and punctuation made spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("_", " ")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def spec_from_draft(draft: QuizDraft) -> QuizSpec:
    return QuizSpec(
        questions=tuple(
            QuestionSpec(
                kind=QuestionKind(question.kind),
                prompt=question.prompt.strip(),
                explanation=question.explanation.strip(),
                options=tuple(OptionSpec(option.text.strip(), option.correct) for option in question.options),
                accepted_answers=tuple(answer.strip() for answer in question.accepted_answers if answer.strip()),
            )
            for question in draft.questions
        )
    )


def spec_to_json(spec: QuizSpec) -> dict[str, Any]:
    return {
        "pass_percent": spec.pass_percent,
        "max_attempts": spec.max_attempts,
        "questions": [
            {
                "kind": question.kind.value,
                "prompt": question.prompt,
                "explanation": question.explanation,
                "options": [{"text": option.text, "correct": option.correct} for option in question.options],
                "accepted_answers": list(question.accepted_answers),
            }
            for question in spec.questions
        ],
    }


def spec_from_json(data: Mapping[str, Any]) -> QuizSpec:
    return QuizSpec(
        pass_percent=int(data["pass_percent"]),
        max_attempts=data.get("max_attempts"),
        questions=tuple(
            QuestionSpec(
                kind=QuestionKind(question["kind"]),
                prompt=question["prompt"],
                explanation=question["explanation"],
                options=tuple(OptionSpec(option["text"], bool(option["correct"])) for option in question["options"]),
                accepted_answers=tuple(question["accepted_answers"]),
            )
            for question in data["questions"]
        ),
    )


def _keys(question: QuestionSpec) -> list[str]:
    if question.kind == QuestionKind.SHORT_TEXT:
        return list(question.accepted_answers)
    return [option.text for option in question.options if option.correct]


def grounding_problems(spec: QuizSpec, sources: Iterable[str]) -> list[str]:
    """A problem for each question whose right answer the lesson text (or its passages) does not
    state: a choice question's every right option, a short-text question's accepted answers
    (at least one of them). True/false statements cannot be checked this way and are refused."""
    text = f" {' '.join(comparable(source) for source in sources)} "
    problems = []
    for number, question in enumerate(spec.questions, start=1):
        if question.kind == QuestionKind.TRUE_FALSE:
            problems.append(f"Question {number}: a true/false statement cannot be checked against the lesson text")
            continue
        keys = [key for key in _keys(question) if comparable(key)]
        stated = [key for key in keys if f" {comparable(key)} " in text]
        if question.kind == QuestionKind.SHORT_TEXT:
            if keys and not stated:
                problems.append(
                    f"Question {number}: no accepted answer ({', '.join(repr(key) for key in keys)}) "
                    "is stated in the lesson"
                )
        else:
            for key in keys:
                if key not in stated:
                    problems.append(f"Question {number}: the right answer {key!r} is not stated in the lesson")
    return problems


def quiz_problems(spec: QuizSpec, sources: Iterable[str]) -> list[str]:
    """Every reason ``spec`` may not be saved as a generated quiz; [] when it may."""
    problems = []
    if not MIN_QUESTIONS <= len(spec.questions) <= MAX_QUESTIONS:
        problems.append(
            f"A generated quiz has {MIN_QUESTIONS} to {MAX_QUESTIONS} questions, not {len(spec.questions)}."
        )
    problems += quiz_spec_problems(spec)
    problems += grounding_problems(spec, sources)
    return problems


def problem_kind(problem: str) -> str:
    """A rejection's reason without its question number, for counting ("two options say the same thing")."""
    reason = re.sub(r"^Question \d+: ", "", problem)
    if reason.startswith(("the right answer", "no accepted answer")):
        return "the key is not stated in the lesson"
    return reason


# --- Key positions across the course -------------------------------------------------------------


def key_positions(specs: Iterable[QuizSpec]) -> Counter[str]:
    """How many keys (right options of single and multiple choice questions) sit at A, B, C..."""
    counts: Counter[str] = Counter()
    for spec in specs:
        for question in spec.questions:
            if question.kind in SHUFFLED_KINDS:
                counts.update(LETTERS[i] for i, option in enumerate(question.options) if option.correct)
    return counts


def largest_share(counts: Counter[str]) -> float:
    total = sum(counts.values())
    return max(counts.values()) / total if total else 0.0


def _shuffled(spec: QuizSpec, rng: random.Random) -> QuizSpec:
    questions = []
    for question in spec.questions:
        options = list(question.options)
        if question.kind in SHUFFLED_KINDS:
            rng.shuffle(options)
        questions.append(replace(question, options=tuple(options)))
    return replace(spec, questions=tuple(questions))


@dataclass(frozen=True)
class Balanced:
    quizzes: dict[int, QuizSpec]  # by day
    positions: dict[str, int]  # keys per option letter after the shuffle
    shuffles: int  # 1 when the first shuffle held, more when it was shuffled again
    balanced: bool  # no position holds more than MAX_POSITION_SHARE of the keys


def balanced_keys(quizzes: Mapping[int, QuizSpec], *, seed: str) -> Balanced:
    """The quizzes with their options shuffled so that no option position holds more than
    MAX_POSITION_SHARE of the course's keys. Deterministic: the same quizzes and seed give the
    same order (the n-th reshuffle uses the seed and n)."""
    best = _shuffle_all(quizzes, seed, 1)
    attempt = 1
    while not best.balanced and attempt < MAX_RESHUFFLES:
        attempt += 1
        candidate = _shuffle_all(quizzes, seed, attempt)
        if candidate.balanced or largest_share(Counter(candidate.positions)) < largest_share(Counter(best.positions)):
            best = candidate
    return best


def _shuffle_all(quizzes: Mapping[int, QuizSpec], seed: str, attempt: int) -> Balanced:
    rng = random.Random(f"{seed}:{attempt}")  # noqa: S311  (an order of options, not a secret)
    shuffled = {day: _shuffled(quizzes[day], rng) for day in sorted(quizzes)}
    counts = key_positions(shuffled.values())
    return Balanced(shuffled, dict(sorted(counts.items())), attempt, largest_share(counts) <= MAX_POSITION_SHARE)
