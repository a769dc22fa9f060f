"""Studio pages for authoring courses: the list, the course editor, the lesson editor, previews."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momentum.accounts import queries as account_queries
from momentum.accounts.policy import Access, caller, page_access
from momentum.catalog import actions, media, queries, staff, studio_queries
from momentum.catalog.models import MAX_LANGUAGE_TAG, Course, Status
from momentum.catalog.queries import caption_tracks, course_language
from momentum.catalog.studio_forms import MAX_MARKDOWN, CourseFilters, CourseForm, LessonForm, add_problem
from momentum.learning import queries as learning
from momentum.lib import clock, language_tags
from momentum.lib.markdown import render as render_markdown
from momentum.lib.problems import Problem

PAGE_SIZE = 20
ENROLLMENTS_SHOWN = 50  # the newest; GET /courses/{course}/enrollments pages through all of them


@page_access(Access.COURSE_STAFF)
def course_list(request: HttpRequest) -> HttpResponse:
    filters = CourseFilters(request.GET or None)
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    found = studio_queries.courses(
        request.user,
        q=values.get("q", ""),
        status=values.get("status", ""),
        category=values.get("category", ""),
        duration=values.get("duration"),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    awaiting = list(queries.awaiting_approval()[:PAGE_SIZE]) if caller(request).is_admin else []
    return render(request, "catalog/studio/course_list.html", {"filters": filters, "page": page, "awaiting": awaiting})


@page_access(Access.COURSE_STAFF)
def course_new(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            if changes["is_premium"] and changes["price_cents"] <= 0:
                raise Problem(
                    422,
                    detail=_("price_cents: a premium course needs a price above 0"),
                    errors=[{"field": "price_cents", "message": "A premium course needs a price above 0."}],
                )
            course = actions.do_create_course(actor=caller(request), request=request, title_card=True, **changes)
        except Problem as problem:
            add_problem(form, problem)
        else:
            messages.success(request, _created(course.title))
            return redirect("catalog:studio_course", course.pk)
    status = 422 if form.errors else 200
    return render(request, "catalog/studio/course_new.html", {"form": form}, status=status)


def _editor(request: HttpRequest, course: Course, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("form", CourseForm(initial=CourseForm.initial_for(course)))
    days = studio_queries.days(course)
    return render(
        request,
        "catalog/studio/course_edit.html",
        {
            "course": course,
            "days": days,
            "missing": [day.number for day in days if day.missing],
            "unreviewed": actions.unreviewed_days(course),
            "review_note": course.metadata.get("review_note", ""),
            "public_url": reverse("catalog:detail", args=[course.slug]),
            "cohorts": learning.cohort_progress(course, clock.now()),
            "enrollments": learning.course_enrollments(course)[:ENROLLMENTS_SHOWN],
            "instructors": queries.course_instructors(course),
            "may_manage_instructors": staff.is_course_owner(request.user, course),
            "asks_approval": actions.needs_approval(caller(request)),
            **context,
        },
        status=status,
    )


@page_access(Access.COURSE_STAFF)
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = studio_queries.course(pk, request.user)
    if request.method != "POST":
        return _editor(request, course)
    form = CourseForm(request.POST)
    if form.is_valid():
        try:
            course = actions.do_update_course(course, actor=caller(request), request=request, **form.changes())
        except Problem as problem:
            add_problem(form, problem)
        else:
            messages.success(request, _("Course details saved."))
            return redirect("catalog:studio_course", course.pk)
    return _editor(request, course, status=422 if form.errors else 200, form=form)


@page_access(Access.COURSE_STAFF)
@require_POST
def course_publish(request: HttpRequest, pk: int) -> HttpResponse:
    course = studio_queries.course(pk, request.user)
    try:
        course = actions.do_publish_course(course, actor=caller(request), request=request)
    except Problem as problem:
        return _editor(request, course, status=problem.status, publish_error=problem.detail)
    if course.status == Status.PUBLISHED:
        messages.success(
            request, _("“%(title)s” is published: learners can find it in the catalogue.") % {"title": course.title}
        )
    else:
        messages.success(
            request, _("“%(title)s” awaits an admin's approval: they have been told.") % {"title": course.title}
        )
    return redirect("catalog:studio_course", course.pk)


@page_access(Access.COURSE_STAFF)
@require_POST
def course_archive(request: HttpRequest, pk: int) -> HttpResponse:
    course = actions.do_archive_course(studio_queries.course(pk, request.user), actor=caller(request), request=request)
    messages.success(
        request,
        _("“%(title)s” is archived: it left the catalogue; its learners keep their progress.")
        % {"title": course.title},
    )
    return redirect("catalog:studio_course", course.pk)


@page_access(Access.COURSE_STAFF)
@require_POST
def course_delete(request: HttpRequest, pk: int) -> HttpResponse:
    course = studio_queries.course(pk, request.user)
    try:
        archived = actions.do_delete_course(course, actor=caller(request), request=request)
    except Problem as problem:
        return _editor(request, course, status=problem.status, publish_error=problem.detail)
    if archived is not None:
        messages.info(
            request, _("“%(title)s” has learners, so it was archived rather than removed.") % {"title": course.title}
        )
        return redirect("catalog:studio_course", course.pk)
    messages.success(request, _("The draft “%(title)s” was removed.") % {"title": course.title})
    return redirect("catalog:studio_courses")


@page_access(Access.COURSE_STAFF)
@require_POST
def course_thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    course = studio_queries.course(pk, request.user)
    upload = request.FILES.get("thumbnail")
    try:
        if upload is None:
            raise Problem(422, detail=_("Choose an image to upload."))
        png = media.thumbnail_png(upload)
        actions.do_set_thumbnail(course, png, actor=caller(request), request=request)
    except Problem as problem:
        message = problem.errors[0]["message"] if problem.errors else problem.detail
        return _editor(request, course, status=problem.status, thumbnail_error=f"The thumbnail {message}.")
    messages.success(request, _("Thumbnail updated."))
    return redirect("catalog:studio_course", course.pk)


@page_access(Access.COURSE_STAFF)
def lesson_edit(request: HttpRequest, pk: int, day: int) -> HttpResponse:
    course = studio_queries.course(pk, request.user)
    lesson = studio_queries.lesson_on(course, day)
    if day < 1 or day > course.duration_days:
        messages.error(
            request,
            _("A %(duration_days)s-day course has no day %(day)s.")
            % {"duration_days": course.duration_days, "day": day},
        )
        return redirect("catalog:studio_course", course.pk)
    initial = {"day": day, "duration_minutes": 10}
    if lesson is not None:
        initial = {name: getattr(lesson, name) for name in LessonForm.base_fields if hasattr(lesson, name)}
    saving = request.method == "POST" and "preview" not in request.POST
    if request.method == "POST" and not saving:  # "Refresh preview" (without JavaScript) saves nothing
        form = LessonForm(initial={**initial, **request.POST.dict()})
    else:
        form = LessonForm(request.POST or None, request.FILES or None, initial=initial)
    if saving and form.is_valid():
        try:
            lesson = _save_lesson(request, course, lesson, form)
        except Problem as problem:
            add_problem(form, problem)
        else:
            messages.success(request, _("Day %(day)s saved: “%(title)s”.") % {"day": lesson.day, "title": lesson.title})
            return redirect(reverse("catalog:studio_course", args=[course.pk]) + f"#day-{lesson.day}")
    return _lesson_editor(request, course, lesson, day, form, status=422 if form.errors else 200)


def _lesson_editor(
    request: HttpRequest, course: Course, lesson: Any, day: int, form: LessonForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    content = form["content_markdown"].value() or ""
    context: dict[str, Any] = {
        "course": course,
        "lesson": lesson,
        "day": day,
        "form": form,
        "preview": render_markdown(content),
        **extra,
    }
    if lesson is not None:
        context |= {"captions": caption_tracks(lesson)}
        context.setdefault("caption_language", course_language(course))
    return render(request, "catalog/studio/lesson_edit.html", context, status=status)


@transaction.atomic
def _save_lesson(request: HttpRequest, course: Course, lesson: Any, form: LessonForm) -> Any:
    fields = form.fields_for_action()
    if lesson is None:
        lesson = actions.do_create_lesson(course, actor=caller(request), request=request, **fields)
    else:
        # Saving the editor is the admin's review of a generated lesson, even with nothing changed.
        lesson = actions.do_update_lesson(lesson, reviewed=True, actor=caller(request), request=request, **fields)
    upload = form.cleaned_data.get("video_file")
    if form.cleaned_data.get("remove_video"):
        lesson = actions.do_remove_lesson_video(lesson, actor=caller(request), request=request)
    elif upload:
        media.check_video(upload, field="video_file")
        lesson = actions.do_set_lesson_video(lesson, upload, actor=caller(request), request=request)
    return lesson


@page_access(Access.COURSE_STAFF)
@require_POST
def lesson_delete(request: HttpRequest, pk: int, day: int) -> HttpResponse:
    course = studio_queries.course(pk, request.user)
    lesson = studio_queries.lesson_on(course, day)
    if lesson is None:
        messages.info(request, _("Day %(day)s has no lesson.") % {"day": day})
        return redirect("catalog:studio_course", course.pk)
    try:
        actions.do_delete_lesson(lesson, actor=caller(request), request=request)
    except Problem as problem:
        messages.error(request, problem.detail)
        return redirect("catalog:studio_lesson", course.pk, day)
    messages.success(request, _("Day %(day)s's lesson was deleted.") % {"day": day})
    return redirect("catalog:studio_course", course.pk)


def _captions_section(course: Course, day: int) -> HttpResponse:
    return redirect(reverse("catalog:studio_lesson", args=[course.pk, day]) + "#captions")


@page_access(Access.COURSE_STAFF)
@require_POST
def lesson_captions(request: HttpRequest, pk: int, day: int) -> HttpResponse:
    """Upload a lesson's captions in one language (.vtt, or .srt converted); replaces that language's."""
    course = studio_queries.course(pk, request.user)
    lesson = studio_queries.lesson_on(course, day)
    if lesson is None:
        messages.info(request, _("Day %(day)s has no lesson yet: save it first, then add its captions.") % {"day": day})
        return redirect("catalog:studio_lesson", course.pk, day)
    typed = request.POST.get("language", "")[:MAX_LANGUAGE_TAG]
    try:
        language, vtt = _caption_upload(typed, request.FILES.get("file"))
        actions.do_put_caption_track(lesson, language=language, vtt=vtt, actor=caller(request), request=request)
    except Problem as problem:  # said in the Captions section, beside the form
        form = LessonForm(
            initial={name: getattr(lesson, name) for name in LessonForm.base_fields if hasattr(lesson, name)}
        )
        error = f"The captions were not saved: {problem.detail}"
        return _lesson_editor(
            request, course, lesson, day, form, status=problem.status, caption_error=error, caption_language=typed
        )
    messages.success(request, _("Captions (%(language)s) saved for day %(day)s.") % {"language": language, "day": day})
    return _captions_section(course, day)


def _caption_upload(typed: str, upload: UploadedFile[bytes] | None) -> tuple[str, str]:
    """The standard language tag and the WebVTT text of a studio caption upload (422 Problems)."""
    language = language_tags.standard(typed)
    if language is None:
        raise Problem(422, detail=_("The language must be a BCP 47 tag, such as en, es or pt-BR."))
    if upload is None:
        raise Problem(422, detail=_("Choose a .vtt or .srt file to upload."))
    return language, media.caption_webvtt(upload)


@page_access(Access.COURSE_STAFF)
@require_POST
def lesson_caption_delete(request: HttpRequest, pk: int, day: int, language: str) -> HttpResponse:
    course = studio_queries.course(pk, request.user)
    lesson = studio_queries.lesson_on(course, day)
    if lesson is not None and actions.do_delete_caption_track(lesson, language, actor=caller(request), request=request):
        messages.success(request, _("Captions (%(language)s) deleted.") % {"language": language})
    else:
        messages.info(request, _("Day %(day)s has no captions in %(language)s.") % {"day": day, "language": language})
    return _captions_section(course, day)


@page_access(Access.COURSE_STAFF)
def course_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review checklist: each day's lesson and quiz, reviewed or not, with links to them."""
    course = studio_queries.course(pk, request.user)
    items = studio_queries.review_checklist(course)
    return render(
        request,
        "catalog/studio/course_review.html",
        {
            "course": course,
            "items": items,
            "left": [item.day for item in items if not item.done],
            "review_note": course.metadata.get("review_note", ""),
        },
    )


@page_access(Access.COURSE_STAFF)
@require_POST
def lesson_reviewed(request: HttpRequest, pk: int, day: int) -> HttpResponse:
    """ "Mark reviewed": the admin has read day ``day``'s lesson and quiz."""
    course = studio_queries.course(pk, request.user)
    lesson = studio_queries.lesson_on(course, day)
    if lesson is None:
        messages.info(request, _("Day %(day)s has no lesson to review yet.") % {"day": day})
    else:
        actions.do_mark_lesson_reviewed(lesson, actor=caller(request), request=request)
        messages.success(request, _("Day %(day)s is reviewed.") % {"day": day})
    return redirect(reverse("catalog:studio_course_review", args=[course.pk]) + f"#review-day-{day}")


@page_access(Access.COURSE_STAFF)
@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The sanitised HTML of the posted Markdown, for the editor's live preview (htmx)."""
    text = request.POST.get("content_markdown", "")[:MAX_MARKDOWN]
    return render(request, "catalog/studio/partials/preview.html", {"preview": render_markdown(text)})


@page_access(Access.COURSE_STAFF)
@require_POST
def instructor_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner (or an admin) adds a co-instructor by their email address."""
    course = staff.require_course_owner(request.user, studio_queries.course(pk, request.user))
    user = account_queries.active_instructor_by_email(request.POST.get("email", "")[:254])
    try:
        if user is None:
            raise Problem(422, detail=_("No active instructor account has this email address."))
        actions.do_add_co_instructor(course, user, actor=caller(request), request=request)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("%(name)s now teaches this course with you.") % {"name": user.name})
    return redirect(reverse("catalog:studio_course", args=[course.pk]) + "#instructors")


@page_access(Access.COURSE_STAFF)
@require_POST
def instructor_remove(request: HttpRequest, pk: int, instructor: int) -> HttpResponse:
    """The owner (or an admin) takes the course out of a co-instructor's hands."""
    course = staff.require_course_owner(request.user, studio_queries.course(pk, request.user))
    try:
        actions.do_remove_co_instructor(course, instructor, actor=caller(request), request=request)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("The co-instructor was removed."))
    return redirect(reverse("catalog:studio_course", args=[course.pk]) + "#instructors")


def _created(title: str) -> str:
    return _("Draft “%(title)s” created. Now write a lesson for each day.") % {"title": title}
