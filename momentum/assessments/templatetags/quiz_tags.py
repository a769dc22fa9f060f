"""The quiz panel's questions, rendered once per quiz and language and put together per learner.

Each question's fieldset and each option's choice are the same for every learner of a lesson;
only the options' order is the learner's own (``queries.shuffled_options``), and, after a
refused submission, their answers and the errors. A blank form is joined from pieces kept in the
fragments region (in memory, like the quiz itself) under a digest of what they show, so that
pieces of one version of the quiz never serve another, however the revision moved meanwhile.
The template loop over questions and options was the costliest part of the lesson page's
rendering. A form with answers in it is rendered afresh from the same two templates.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from momentum.assessments.queries import FormQuestion, QuizPanel
from momentum.platform.caching import FRAGMENTS, content_digest

register = template.Library()
QUESTION, OPTION = "assessments/partials/quiz_question.html", "assessments/partials/quiz_option.html"
_SLOT = "\x00options\x00"  # where a question's options go; no template prints a NUL

# question id -> (the fieldset before its options, each option's choice by id, the fieldset after)
Pieces = dict[int, tuple[str, dict[int, str], str]]


@register.simple_tag
def quiz_questions(panel: QuizPanel) -> SafeString:
    """{% quiz_questions panel %}: the fieldsets of the panel's form, options in the learner's order."""
    form = panel.form
    if panel.errors or panel.chosen:  # this learner's answers and errors: theirs alone
        return mark_safe("".join(_question(question) for question in form))  # noqa: S308  (templates' output)
    # keyed by what the pieces are made of: never pieces of another version of the quiz
    made_of = content_digest(
        (q.id, q.number, q.kind, q.prompt, sorted((o.id, o.text) for o in q.options)) for q in form
    )
    key = f"quiz-form|{panel.quiz.quiz.pk}|{get_language()}|{made_of}"
    pieces: Pieces = FRAGMENTS.get_or_build(key, lambda: _pieces(form))
    shown = []
    for question in form:
        before, options, after = pieces[question.id]
        shown.append(before + "".join(options[option.id] for option in question.options) + after)
    return mark_safe("".join(shown))  # noqa: S308  (templates' output)


def _question(question: FormQuestion) -> str:
    options = "".join(render_to_string(OPTION, {"question": question, "option": option}) for option in question.options)
    return render_to_string(QUESTION, {"question": question, "options_html": mark_safe(options)})  # noqa: S308


def _pieces(form: list[FormQuestion]) -> Pieces:
    pieces: Pieces = {}
    for question in form:
        slot = mark_safe(_SLOT)  # noqa: S308  (a constant)
        before, _, after = render_to_string(QUESTION, {"question": question, "options_html": slot}).partition(_SLOT)
        options: dict[int, str] = {
            option.id: str(render_to_string(OPTION, {"question": question, "option": option}))
            for option in question.options
        }
        pieces[question.id] = (before, options, after)
    return pieces
