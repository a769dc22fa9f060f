"""The studio's quiz editor as plain form fields, so it works without JavaScript and by keyboard.

Fields: ``pass_percent``, ``max_attempts``, ``questions`` (how many), and per question ``q<i>-kind``,
``q<i>-prompt``, ``q<i>-explanation``, ``q<i>-accepted`` (one accepted answer a line), ``q<i>-options``
(how many) and per option ``q<i>-o<j>-text`` and ``q<i>-o<j>-correct``. The editor's buttons post
the form with an ``edit`` value (``add-question``, ``remove-question:<i>``, ``add-option:<i>``,
``remove-option:<i>:<j>``): the page comes back with that change, nothing saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict

from momentum.assessments.models import Quiz
from momentum.assessments.specs import (
    DEFAULT_PASS_PERCENT,
    MAX_OPTIONS,
    MAX_QUESTIONS,
    OptionSpec,
    QuestionKind,
    QuestionSpec,
    QuizSpec,
)


@dataclass
class DraftOption:
    text: str = ""
    correct: bool = False


@dataclass
class DraftQuestion:
    kind: str = QuestionKind.SINGLE.value
    prompt: str = ""
    explanation: str = ""
    accepted: str = ""
    options: list[DraftOption] = field(default_factory=lambda: [DraftOption(), DraftOption()])


@dataclass
class Draft:
    pass_percent: str = str(DEFAULT_PASS_PERCENT)
    max_attempts: str = ""
    questions: list[DraftQuestion] = field(default_factory=lambda: [DraftQuestion()])
    problems: list[str] = field(default_factory=list)

    def spec(self) -> QuizSpec:
        """The quiz this draft describes; unreadable numbers become problems."""
        pass_percent = _number(self.pass_percent)
        max_attempts = _number(self.max_attempts) if self.max_attempts.strip() else None
        if pass_percent is None:
            self.problems.append("The pass mark must be a whole number between 0 and 100.")
        if self.max_attempts.strip() and max_attempts is None:
            self.problems.append("The attempt limit must be a whole number (or empty for no limit).")
        kinds = {kind.value: kind for kind in QuestionKind}
        return QuizSpec(
            questions=tuple(
                QuestionSpec(
                    kind=kinds.get(q.kind, QuestionKind.SINGLE),
                    prompt=q.prompt,
                    explanation=q.explanation,
                    options=()
                    if q.kind == QuestionKind.SHORT_TEXT
                    else tuple(OptionSpec(o.text, o.correct) for o in q.options),
                    accepted_answers=tuple(line for line in q.accepted.splitlines() if line.strip())
                    if q.kind == QuestionKind.SHORT_TEXT
                    else (),
                )
                for q in self.questions
            ),
            pass_percent=pass_percent if pass_percent is not None else DEFAULT_PASS_PERCENT,
            max_attempts=max_attempts,
        )


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 6 else None


def _count(data: QueryDict, name: str, most: int) -> int:
    value = _number(data.get(name, "") or "")
    return min(value or 0, most)


def draft_from_post(data: QueryDict) -> Draft:
    draft = Draft(pass_percent=data.get("pass_percent", ""), max_attempts=data.get("max_attempts", ""), questions=[])
    for i in range(_count(data, "questions", MAX_QUESTIONS)):
        prefix = f"q{i}-"
        draft.questions.append(
            DraftQuestion(
                kind=data.get(prefix + "kind", QuestionKind.SINGLE.value),
                prompt=data.get(prefix + "prompt", ""),
                explanation=data.get(prefix + "explanation", ""),
                accepted=data.get(prefix + "accepted", ""),
                options=[
                    DraftOption(data.get(f"{prefix}o{j}-text", ""), data.get(f"{prefix}o{j}-correct") == "on")
                    for j in range(_count(data, prefix + "options", MAX_OPTIONS))
                ],
            )
        )
    _apply_edit(draft, data.get("edit", ""))
    return draft


def _apply_edit(draft: Draft, edit: str) -> None:
    verb, _, where = edit.partition(":")
    at = [int(part) for part in where.split(":") if part.isdigit()]
    questions = draft.questions
    if verb == "add-question" and len(questions) < MAX_QUESTIONS:
        questions.append(DraftQuestion())
    elif verb == "remove-question" and len(at) == 1 and at[0] < len(questions):
        del questions[at[0]]
    elif verb == "add-option" and len(at) == 1 and at[0] < len(questions):
        if len(questions[at[0]].options) < MAX_OPTIONS:
            questions[at[0]].options.append(DraftOption())
    elif verb == "remove-option" and len(at) == 2 and at[0] < len(questions):
        options = questions[at[0]].options
        if at[1] < len(options):
            del options[at[1]]


def draft_from_quiz(quiz: Quiz | None) -> Draft:
    if quiz is None:
        return Draft()
    return Draft(
        pass_percent=str(quiz.pass_percent),
        max_attempts="" if quiz.max_attempts is None else str(quiz.max_attempts),
        questions=[
            DraftQuestion(
                kind=q.kind,
                prompt=q.prompt,
                explanation=q.explanation,
                accepted="\n".join(q.accepted_answers),
                options=[DraftOption(o.text, o.is_correct) for o in q.options.all()],
            )
            for q in quiz.questions.prefetch_related("options")
        ],
    )
