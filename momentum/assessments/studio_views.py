"""Studio pages of the assessments app: the quiz editor beside a lesson, and the course's question report."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from momentum.accounts.policy import Access, caller, page_access
from momentum.assessments import actions, queries, stats
from momentum.assessments.specs import QuestionKind, quiz_spec_problems
from momentum.assessments.studio_forms import draft_from_post, draft_from_quiz
from momentum.catalog import studio_queries

KINDS = [
    (QuestionKind.SINGLE.value, "Single choice"),
    (QuestionKind.MULTIPLE.value, "Multiple choice"),
    (QuestionKind.TRUE_FALSE.value, "True or false"),
    (QuestionKind.SHORT_TEXT.value, "Short text"),
]


@page_access(Access.COURSE_STAFF)
@require_http_methods(["GET", "POST"])
def quiz_edit(request: HttpRequest, pk: int, day: int) -> HttpResponse:
    """Write or change the quiz of a lesson. The editor's add/remove buttons and "Preview" post the
    form back with the change; "Save" replaces the lesson's quiz (422 with the problems listed)."""
    course = studio_queries.course(pk, request.user)
    lesson = studio_queries.lesson_on(course, day)
    if lesson is None:
        messages.error(request, _("Write day %(day)s's lesson before its quiz.") % {"day": day})
        return redirect("catalog:studio_course", course.pk)
    quiz = queries.quiz_of(lesson)
    draft = draft_from_post(request.POST) if request.method == "POST" else draft_from_quiz(quiz)
    if request.POST.get("edit") == "save":
        spec = draft.spec()
        draft.problems.extend(quiz_spec_problems(spec))
        if not draft.problems:
            actions.do_put_quiz(caller(request), lesson, spec, request=request)
            messages.success(request, _saved(day, len(spec.questions)))
            return redirect(reverse("assessments:studio_quiz", args=[course.pk, day]))
    context = {"course": course, "lesson": lesson, "day": day, "quiz": quiz, "draft": draft, "kinds": KINDS}
    return render(request, "assessments/studio/quiz_edit.html", context, status=422 if draft.problems else 200)


@page_access(Access.COURSE_STAFF)
@require_POST
def quiz_delete(request: HttpRequest, pk: int, day: int) -> HttpResponse:
    course = studio_queries.course(pk, request.user)
    lesson = studio_queries.lesson_on(course, day)
    if lesson is not None and actions.do_delete_quiz(caller(request), lesson, request=request):
        messages.success(request, _("Day %(day)s's quiz removed.") % {"day": day})
    return redirect(reverse("catalog:studio_course", args=[course.pk]) + f"#day-{day}")


@page_access(Access.COURSE_STAFF)
@require_http_methods(["GET"])
def quiz_report(request: HttpRequest, pk: int) -> HttpResponse:
    """How each quiz question of the course performs, with the ones to look at flagged."""
    course = studio_queries.course(pk, request.user)
    rows = stats.question_stats(course)
    context = {"course": course, "rows": rows, "flagged": sum(1 for row in rows if row.needs_attention)}
    return render(request, "assessments/studio/quiz_report.html", context)


def _saved(day: int, count: int) -> str:
    return ngettext(
        "Day %(day)s's quiz saved (%(count)s question).", "Day %(day)s's quiz saved (%(count)s questions).", count
    ) % {"day": day, "count": count}
