"""Pages of discussions: the lesson thread's forms (post, reply, edit, delete, report). Each is a
plain form that works without JavaScript (it redirects back to the lesson) and, sent by htmx,
answers the thread's partial in place."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from momentum.accounts.policy import Access, page_access
from momentum.catalog.queries import visible_lesson_or_404
from momentum.catalog.views import HtmxHttpRequest as HtmxRequest
from momentum.discussions import actions, queries
from momentum.lib.problems import Problem

if TYPE_CHECKING:
    from momentum.catalog.models import Lesson
    from momentum.discussions.models import Comment


def _lesson_url(
    lesson: Lesson, *, page: str | None = None, order: str | None = None, anchor: str = "discussion"
) -> str:
    query = {key: value for key, value in (("comments_page", page), ("comments_order", order)) if value}
    url = reverse("learning:lesson", args=[lesson.course.slug, lesson.day])
    return f"{url}{'?' + urlencode(query) if query else ''}#{anchor}"


def _answer(
    request: HtmxRequest, lesson: Lesson, *, anchor: str = "discussion", error: str = "", status: int = 200,
    page: str | None = None, order: str | None = None, draft: str = "", notice: str = "",
) -> HttpResponse:  # fmt: skip
    """The thread's partial for htmx, else back to the lesson page (with the error as a message)."""
    if request.htmx:
        # after a write (every POST here), the writer's thread is read afresh, not from the cache
        context = queries.panel(request.user, lesson, page=page, order=order, fresh=request.method == "POST")
        if context is None:
            return render(request, "errors/403.html", {"problem": Problem(403, "not_enrolled", "")}, status=403)
        context |= {"error": error, "draft": draft, "notice": notice}
        return render(request, "discussions/partials/thread.html", {"discussion": context}, status=status)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return HttpResponseRedirect(_lesson_url(lesson, page=page, order=order, anchor=anchor))


@page_access(Access.PUBLIC)
@require_GET
def thread(request: HtmxRequest, slug: str, day: int) -> HttpResponse:
    """One page of the thread (the pagination and order links, swapped in place by htmx)."""
    lesson = visible_lesson_or_404(request.user, slug, day=day)
    return _answer(request, lesson, page=request.GET.get("comments_page"), order=request.GET.get("comments_order"))


@page_access(Access.OWNER)
@require_POST
def post_comment(request: HtmxRequest, slug: str, day: int) -> HttpResponse:
    """Post a comment or, with ``parent_id``, a reply."""
    lesson = visible_lesson_or_404(request.user, slug, day=day)
    body = request.POST.get("body_markdown", "")
    parent = request.POST.get("parent_id", "")
    try:
        writer = queries.participant(request.user, lesson)
        comment = actions.do_post_comment(writer, body, parent_id=int(parent) if parent.isdigit() else None)
    except Problem as problem:
        return _answer(request, lesson, error=problem.detail, draft=body if not parent else "")
    order = request.POST.get("comments_order")
    return _answer(request, lesson, anchor=f"comment-{comment.pk}", order=order)


def _comment(request: HtmxRequest, comment_id: int) -> tuple[Comment, queries.Participant] | HttpResponse:
    try:
        return queries.comment_for(request.user, comment_id)
    except Problem as problem:
        return render(request, "errors/404.html" if problem.status == 404 else "errors/403.html",
                      {"problem": problem, "detail": problem.detail}, status=problem.status)  # fmt: skip


@page_access(Access.OWNER)
@require_POST
def edit_comment(request: HtmxRequest, comment_id: int) -> HttpResponse:
    """Save the author's new text (within 15 minutes of posting)."""
    found = _comment(request, comment_id)
    if isinstance(found, HttpResponse):
        return found
    comment, writer = found
    try:
        actions.do_edit_comment(writer, comment, request.POST.get("body_markdown", ""))
    except Problem as problem:
        return _answer(request, comment.lesson, anchor=f"comment-{comment_id}", error=problem.detail,
                       page=request.POST.get("comments_page"), order=request.POST.get("comments_order"))  # fmt: skip
    return _answer(request, comment.lesson, anchor=f"comment-{comment_id}",
                   page=request.POST.get("comments_page"), order=request.POST.get("comments_order"))  # fmt: skip


@page_access(Access.OWNER)
@require_POST
def delete_comment(request: HtmxRequest, comment_id: int) -> HttpResponse:
    """Delete the author's comment."""
    found = _comment(request, comment_id)
    if isinstance(found, HttpResponse):
        return found
    comment, writer = found
    lesson = comment.lesson
    try:
        actions.do_delete_comment(writer, comment)
    except Problem as problem:
        return _answer(request, lesson, error=problem.detail)
    return _answer(request, lesson, page=request.POST.get("comments_page"), order=request.POST.get("comments_order"))


@page_access(Access.OWNER)
@require_POST
def report_comment(request: HtmxRequest, comment_id: int) -> HttpResponse:
    """Report a comment to the course's moderators."""
    found = _comment(request, comment_id)
    if isinstance(found, HttpResponse):
        return found
    comment, reader = found
    actions.do_report_comment(reader.user, comment, reason=request.POST.get("reason", ""))
    notice = "Thank you: the course's moderators will look at this comment."
    return _answer(request, comment.lesson, anchor=f"comment-{comment_id}", notice=notice,
                   page=request.POST.get("comments_page"), order=request.POST.get("comments_order"))  # fmt: skip
