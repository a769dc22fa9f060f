"""Quiz specs for tests: a three-question quiz with one question of each common kind."""

from __future__ import annotations

from momentum.assessments.specs import OptionSpec, QuestionKind, QuestionSpec, QuizSpec


def single(prompt: str = "Which keyword defines a function?", right: str = "def", *wrong: str) -> QuestionSpec:
    wrong = wrong or ("func", "lambda x")
    return QuestionSpec(
        kind=QuestionKind.SINGLE,
        prompt=prompt,
        explanation=f"{right} is the answer.",
        options=(OptionSpec(right, True), *(OptionSpec(text, False) for text in wrong)),
    )


def multiple() -> QuestionSpec:
    return QuestionSpec(
        kind=QuestionKind.MULTIPLE,
        prompt="Which of these are Python collections?",
        explanation="Lists and dicts are built-in collections; int is a number.",
        options=(OptionSpec("list", True), OptionSpec("dict", True), OptionSpec("int", False)),
    )


def true_false(statement_is_true: bool = True) -> QuestionSpec:
    return QuestionSpec(
        kind=QuestionKind.TRUE_FALSE,
        prompt="Python indents blocks instead of using braces.",
        explanation="Indentation is syntax in Python.",
        options=(OptionSpec("True", statement_is_true), OptionSpec("False", not statement_is_true)),
    )


def short_text() -> QuestionSpec:
    return QuestionSpec(
        kind=QuestionKind.SHORT_TEXT,
        prompt="Which built-in prints to the screen?",
        explanation="print() writes to standard output.",
        accepted_answers=("print", "print()"),
    )


def quiz_spec(*, pass_percent: int = 70, max_attempts: int | None = None) -> QuizSpec:
    return QuizSpec(
        questions=(single(), multiple(), true_false(), short_text()), pass_percent=pass_percent,
        max_attempts=max_attempts,
    )  # fmt: skip
