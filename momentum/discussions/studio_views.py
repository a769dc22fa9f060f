"""The studio's moderation queue: reported comments (the most recently reported first) and hidden
ones, with hide, restore, dismiss, warn the author, and suspend or restore their posting."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from momentum.accounts.policy import Access, caller, page_access
from momentum.discussions import actions, queries
from momentum.lib.problems import Problem

PAGE_SIZE = 20
DONE = {
    "hide": "Comment hidden: learners no longer see it.",
    "restore": "Comment restored: learners see it again.",
    "dismiss": "Reports dismissed: the comment stays as it is.",
    "warn": "The author has been warned.",
    "suspend": "The author can no longer post in this course's discussions.",
    "lift": "The author may post in this course's discussions again.",
}


@page_access(Access.COURSE_STAFF)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    hidden = request.GET.get("view") == "hidden"
    page = Paginator(queries.moderation_queue(request.user, hidden=hidden), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "discussions/studio/queue.html", {"page": page, "hidden_view": hidden})


@page_access(Access.COURSE_STAFF)
@require_POST
def moderate(request: HttpRequest, comment_id: int, action: str) -> HttpResponse:
    """One moderation action on a comment, then back to the queue."""
    if action not in DONE:
        return render(request, "errors/404.html", {"detail": "No such moderation action."}, status=404)
    moderator = caller(request)
    try:
        comment = queries.moderated_comment(moderator, comment_id)
        actions.do_moderate(moderator, comment, action, note=request.POST.get("reason", ""), request=request)
    except Problem as problem:
        if problem.status == 404:
            return render(request, "errors/404.html", {"detail": problem.detail}, status=404)
        messages.error(request, problem.detail)
    else:
        messages.success(request, DONE[action])
    view = request.POST.get("view")
    return HttpResponseRedirect(reverse("discussions:studio_queue") + ("?view=hidden" if view == "hidden" else ""))
