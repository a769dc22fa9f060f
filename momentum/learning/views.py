"""Learner pages: the lesson player, enrolment forms, the dashboard and the learning analytics page."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat
from django.utils.http import http_date
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from momentum.accounts.policy import Access, page_access, refusal
from momentum.catalog.queries import (
    caption_track,
    course_and_lessons_or_404,
    first_lesson,
    next_lesson,
    visible_course_or_404,
    visible_lesson_or_404,
)
from momentum.catalog.views import HtmxHttpRequest, course_cta
from momentum.learning import actions, media, page_contexts, queries, reminders
from momentum.learning.streaks import zone_of
from momentum.lib import clock
from momentum.lib.problems import Problem

if TYPE_CHECKING:  # annotations only: the web layer reaches other apps through their queries
    from momentum.accounts.models import User
    from momentum.catalog.models import Lesson


def _lesson_url(lesson: Lesson, slug: str) -> str:
    return reverse("learning:lesson", args=[slug, lesson.day])


@page_access(Access.PUBLIC)
@require_GET
def lesson(request: HttpRequest, slug: str, day: int) -> HttpResponse:
    """The lesson player; without access, the course outline and the call to enrol or buy."""
    course, lessons = course_and_lessons_or_404(request.user, slug)
    current = next((item for item in lessons if item.day == day), None)
    if current is None:
        return render(request, "errors/404.html", {"detail": f"This course has no day {day}."}, status=404)
    cta = course_cta(request.user, course, lessons)
    problem = queries.lesson_refusal(request.user, current, enrollment=cta["enrollment"])
    if problem is None and cta["enrollment"] is not None:
        actions.do_record_lesson_view(request.user, current, cta["enrollment"])
    player = page_contexts.lesson_player(request, current, lessons, problem, cta["enrollment"])
    opening = _opening(request.user, problem) if problem is not None else None
    context = {**cta, **player, "opening": opening, "position": cta["progress"].get(current.pk)}
    return render(request, "learning/lesson.html", context)


def _opening(user: Any, problem: Problem) -> dict[str, str] | None:
    """How a locked day's opening reads on the page: "opens Tuesday at 00:00", and the time left."""
    if problem.code != "lesson_locked":
        return None
    opens = datetime.fromisoformat(problem.extra["available_at"])
    zone = zone_of(user)
    local = opens.astimezone(zone)
    return {
        "weekday": dateformat.format(local, "l"),
        "time": dateformat.format(local, "H:i"),
        "date": dateformat.format(local, "j F Y"),
        "zone": str(zone),
        "left": timeuntil(opens, clock.now()),
        "at_iso": problem.extra["available_at"],
    }


@page_access(Access.OWNER)
@require_POST
def complete_lesson(request: HtmxHttpRequest, slug: str, day: int) -> HttpResponse:
    """Mark a lesson complete (a form, enhanced by htmx to swap just the completion panel)."""
    current = visible_lesson_or_404(request.user, slug, day=day)
    try:
        result = actions.do_record_progress(request.user, current, completed=True)
    except Problem as problem:
        messages.error(request, problem.detail)
        return HttpResponseRedirect(reverse("catalog:detail", args=[slug]))
    following = next_lesson(current)
    context = {"course": current.course, "lesson": current, "result": result, "next": following}
    if request.htmx:  # the panel, and out of band the outline with the progress it shows
        course, lessons = course_and_lessons_or_404(request.user, slug)
        context |= {**course_cta(request.user, course, lessons), "lesson": current}
        return render(request, "learning/partials/completion.html", context)
    return _after_completion(request, slug, current, following, result)


def _after_completion(
    request: HttpRequest, slug: str, current: Lesson, following: Lesson | None, result: actions.ProgressResult
) -> HttpResponse:
    """Say what the completion earned, and go on: to the next lesson, or the dashboard at the end."""
    if result.course_completed_now:
        messages.success(request, _("You finished %(title)s. Well done!") % {"title": current.course.title})
    for award in result.badges:
        messages.success(request, _("Badge earned: %(name)s") % {"name": award.badge.name})
    if result.course_completed_now:
        return HttpResponseRedirect(reverse("learning:dashboard"))
    return HttpResponseRedirect(_lesson_url(following or current, slug))


@page_access(Access.AUTHENTICATED)
@require_POST
def enroll(request: HttpRequest, slug: str) -> HttpResponse:
    course = visible_course_or_404(request.user, slug)
    problem = refusal(cast("User", request.user), Access.VERIFIED)
    if problem is None:
        try:
            _enrollment, created = actions.do_enroll(request.user, course, request=request)
        except Problem as error:
            problem = error
    if problem is not None:
        messages.error(request, problem.detail)
        return HttpResponseRedirect(reverse("catalog:detail", args=[slug]))
    if created:
        messages.success(request, _("You are enrolled in %(title)s. Here is day 1.") % {"title": course.title})
    first = first_lesson(course)
    if first is None:
        return HttpResponseRedirect(reverse("catalog:detail", args=[slug]))
    return HttpResponseRedirect(_lesson_url(first, slug))


@page_access(Access.OWNER)
@require_POST
def unenroll(request: HttpRequest, slug: str) -> HttpResponse:
    course = visible_course_or_404(request.user, slug)
    if actions.do_unenroll(request.user, course, request=request):
        messages.info(
            request, _("You left %(title)s. Your progress is kept if you come back.") % {"title": course.title}
        )
    return HttpResponseRedirect(reverse("catalog:detail", args=[slug]))


@page_access(Access.PUBLIC)
@require_safe
def lesson_video(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """A lesson's uploaded video, to those who may open the lesson, with Range support."""
    current = visible_lesson_or_404(request.user, lesson_id=lesson_id)
    problem = queries.lesson_refusal(request.user, current)
    if problem is not None:
        return HttpResponse(problem.detail, status=problem.status, content_type="text/plain")
    if not current.video:
        return HttpResponse("This lesson has no uploaded video.", status=404, content_type="text/plain")
    return cast(HttpResponse, media.serve(request, current.video))  # a streamed 200/206, or a redirect


CAPTIONS_CACHE_CONTROL = "private, max-age=60"  # a replaced track reaches players within a minute


@page_access(Access.PUBLIC)
@require_safe
def lesson_captions(request: HttpRequest, lesson_id: int, language: str) -> HttpResponse:
    """A lesson's captions in one language (WebVTT), to those who may open the lesson; cacheable
    (ETag: a player asking again with If-None-Match gets 304)."""
    current = visible_lesson_or_404(request.user, lesson_id=lesson_id)
    problem = queries.lesson_refusal(request.user, current)
    if problem is not None:
        return HttpResponse(problem.detail, status=problem.status, content_type="text/plain")
    track = caption_track(current, language)
    if track is None:
        return HttpResponse("This lesson has no captions in that language.", status=404, content_type="text/plain")
    etag = '"' + hashlib.sha256(track.vtt.encode()).hexdigest()[:32] + '"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(track.vtt, content_type="text/vtt; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = CAPTIONS_CACHE_CONTROL
    response["Last-Modified"] = http_date(track.updated_at.timestamp())
    return response


@page_access(Access.AUTHENTICATED)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/dashboard.html", page_contexts.dashboard(request.user))


@page_access(Access.AUTHENTICATED)
@require_GET
def analytics(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/analytics.html", page_contexts.analytics(request.user))


@page_access(Access.PUBLIC)
@csrf_exempt  # the signed token in the address is the credential; mail clients POST without a form (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop the daily reminder: GET asks (link scanners must not unsubscribe anyone), POST does it."""
    user = reminders.user_for_token(token)
    if user is None:
        return render(request, "learning/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        actions.do_set_reminders(user, enabled=request.POST.get("resubscribe") == "1", request=request)
        done = True
        user.refresh_from_db(fields=["reminder_emails"])
    return render(request, "learning/unsubscribe.html", {"subscriber": user, "token": token, "done": done})
