"""The quiz under a lesson: a plain form (POST, then a redirect to the lesson's results), which
htmx enhances by swapping only the quiz panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from momentum.accounts.policy import Access, page_access
from momentum.assessments import actions, queries
from momentum.assessments.forms import answers_from
from momentum.catalog.queries import visible_lesson_or_404
from momentum.catalog.views import HtmxHttpRequest
from momentum.learning.queries import lesson_refusal
from momentum.lib.problems import Problem

if TYPE_CHECKING:  # annotations only
    from momentum.catalog.models import Lesson


@page_access(Access.OWNER)
@require_http_methods(["GET", "POST"])
def take_quiz(request: HtmxHttpRequest, slug: str, day: int) -> HttpResponse:
    """GET: the quiz on its own page. POST: grade it, then the lesson page shows the results
    (with htmx, just the panel); answers that cannot be graded come back with an error summary."""
    lesson = visible_lesson_or_404(request.user, slug, day=day)
    lesson_url = reverse("learning:lesson", args=[slug, day])
    refused = lesson_refusal(request.user, lesson)
    panel = queries.quiz_panel(request.user, lesson) if refused is None else None
    if panel is None:
        messages.error(request, refused.detail if refused is not None else "This lesson has no quiz.")
        return HttpResponseRedirect(lesson_url)
    if request.method == "POST":
        panel = _submit(request, lesson, panel)
        if panel is None:
            return HttpResponseRedirect(f"{lesson_url}#quiz")
    status = 422 if panel.errors and not request.htmx else 200  # htmx swaps only 2xx answers
    template = "assessments/partials/quiz.html" if request.htmx else "assessments/take.html"
    return render(request, template, {"course": lesson.course, "lesson": lesson, "quiz_panel": panel}, status=status)


def _submit(request: HtmxHttpRequest, lesson: Lesson, panel: queries.QuizPanel) -> queries.QuizPanel | None:
    """Grade the posted form: the panel to show, or None to go back to the lesson page."""
    answers, chosen = answers_from(panel.quiz, request.POST)
    try:
        result = actions.do_submit_attempt(request.user, lesson, answers, request=request)
    except Problem as problem:
        if problem.status != 422:
            messages.error(request, problem.detail)
            return None
        return queries.quiz_panel(request.user, lesson, errors=problem.errors or [], chosen=chosen)
    if result.attempt.passed:
        messages.success(
            request,
            _("Quiz passed with %(score_percent)s %%. Day %(day)s is complete.")
            % {"score_percent": result.attempt.score_percent, "day": lesson.day},
        )
    return queries.quiz_panel(request.user, lesson) if request.htmx else None
