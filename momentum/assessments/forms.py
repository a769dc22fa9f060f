"""Reading a quiz form: one field per question, ``q<question id>``, holding option ids or a text."""

from __future__ import annotations

from django.http import QueryDict

from momentum.assessments.actions import Answer
from momentum.assessments.queries import LearnerQuiz


def answers_from(quiz: LearnerQuiz, data: QueryDict) -> tuple[list[Answer], dict[int, list[str]]]:
    """The answers a posted quiz form gives (unanswered questions left out: grading names them),
    and what was chosen, to show the form again as it was sent."""
    answers: list[Answer] = []
    chosen: dict[int, list[str]] = {}
    for question in quiz.questions:
        values = [value for value in data.getlist(f"q{question.id}") if value.strip()]
        chosen[question.id] = values
        if not values:
            continue
        if question.kind == "short_text":
            answers.append(Answer(question.id, text=values[0]))
        else:
            ids = tuple(int(value) for value in values if value.isdigit())
            answers.append(Answer(question.id, option_ids=ids or (0,)))
    return answers, chosen
