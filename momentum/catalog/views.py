"""Catalogue pages: home, the course list with search and filters, a course's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from momentum.accounts.policy import Access, page_access
from momentum.billing.queries import has_premium_access
from momentum.catalog import queries
from momentum.catalog.models import DURATIONS, Course, Level
from momentum.learning import queries as learning
from momentum.learning.recommendations import recommended_for
from momentum.lib import language_tags
from momentum.lib.object_keys import parse_id
from momentum.platform.caching import CATALOGUE

PAGE_SIZE = 12


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


PRICE_CHOICES = [("free", "Free"), ("paid", "Paid")]
SORT_CHOICES = [("", "Best match"), ("newest", "Newest"), ("popular", "Most popular"), ("title", "Title A-Z")]


@page_access(Access.PUBLIC)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "featured": queries.featured(),
        "newest": queries.newest(limit=4),
        "popular": queries.popular(limit=4),
        "categories": queries.cached_categories(),
        "recommended": recommended_for(user, limit=4) if user.is_authenticated else [],
    }
    return render(request, "catalog/home.html", context)


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The list's filters from the query string; unknown values are dropped, never an error."""
    get = request.GET
    duration = get.get("duration_days", "")
    level = get.get("level", "").upper()
    sort = get.get("sort", "")
    return {
        "q": get.get("q", "")[:200].strip(),
        "category": get.get("category", "")[:60],
        "duration_days": days if (days := parse_id(duration)) in DURATIONS else None,
        "level": level if level in Level.values else "",
        "language": language if (language := get.get("language", "").lower()) in queries.published_languages() else "",
        "price": get.get("price", "") if get.get("price", "") in queries.PRICES else "",
        "sort": sort if sort in queries.SORTS else "",
    }


@page_access(Access.PUBLIC)
@require_GET
def course_list(request: HtmxHttpRequest) -> HttpResponse:
    filters = _filters(request)
    active = {key: value for key, value in filters.items() if value}
    context: dict[str, Any] = {"filters": filters, "active": active, "query_string": urlencode(active)}

    prefer = queries.reader_language(request)

    def results() -> str:
        courses = queries.catalogue(request.user, **filters, prefer=prefer)
        page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
        did_you_mean = queries.did_you_mean(request.user, **filters)
        suggestion = {"text": did_you_mean, "query_string": urlencode({**active, "q": did_you_mean})}
        return render_to_string(
            "catalog/partials/results.html", {**context, "page": page, "did_you_mean": suggestion}, request
        )

    if queries.is_admin(request.user):  # admins' lists are never cached
        context["results"] = results()
    else:  # the results are the same for every visitor: cached until the catalogue changes
        key = f"page-results|{prefer}|{context['query_string']}|{request.GET.get('page', '')[:12]}"
        context["results"] = mark_safe(CATALOGUE.get_or_build(key, results))  # noqa: S308  (our template's output)
    if request.htmx and request.htmx.target == "results":
        return HttpResponse(context["results"])
    context |= {
        "categories": queries.cached_categories(),
        "durations": DURATIONS,
        "levels": CATALOGUE.get_or_build("published-levels", queries.published_levels),
        "languages": [(code, language_tags.name(code)) for code in queries.published_languages()],
        "prices": PRICE_CHOICES,
        "sorts": SORT_CHOICES,
    }
    return render(request, "catalog/course_list.html", context)


def checkout_url(course: Course) -> str | None:
    """The payments page for this course, where the billing app provides one."""
    try:
        return f"{reverse('billing:checkout')}?{urlencode({'course': course.slug})}"
    except NoReverseMatch:
        pass
    try:
        return reverse("billing:checkout", args=[course.slug])
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class OutlineDay:
    """One day of a course's outline, as the course and lesson pages list it: its texts made once
    here (a day's link, its "Day 3: Title" in the reader's language), not by template tags per
    day (for 21 days: 17 % of a course page's CPU and 7 % of a lesson page's, measured in process)."""

    lesson: Any
    number: str
    label: str
    minutes: str
    url: str
    done: bool
    locked: bool


def outline(course: Course, lessons: list[Any], completed_days: set[int], locked_days: set[int]) -> list[OutlineDay]:
    # One reverse for the course: the days' links differ only in their last segment. One lookup
    # of each text in the catalogue, not one a day (each costs as much as formatting a day's row).
    first = reverse("learning:lesson", args=[course.slug, 1])
    prefix = first.removesuffix("1/")
    day_label, day_minutes = _("Day %(day)s: %(title)s"), _("%(minutes)s min")
    return [
        OutlineDay(
            lesson=lesson,
            number=str(lesson.day),
            label=day_label % {"day": lesson.day, "title": lesson.title},
            minutes=day_minutes % {"minutes": lesson.duration_minutes},
            url=f"{prefix}{lesson.day}/",
            done=lesson.day in completed_days,
            locked=lesson.day in locked_days,
        )
        for lesson in lessons
    ]


def course_cta(user: Any, course: Course, lessons: list[Any]) -> dict[str, Any]:
    """What the course's call to action needs: enrolment, progress, access, price (the course page
    and the locked lesson page show it)."""
    enrollment = learning.enrollment_of(user, course)
    open_day = learning.open_day_of(user, course, enrollment)
    progress = learning.course_progress(user, course)
    completed_days = {lesson.day for lesson in lessons if (p := progress.get(lesson.pk)) and p.completed}
    next_lesson = next((lesson for lesson in lessons if lesson.day not in completed_days), None)
    locked_days = {
        lesson.day for lesson in lessons if open_day is not None and lesson.day > open_day and not lesson.is_preview
    }
    return {
        "course": course,
        "lessons": lessons,
        "enrollment": enrollment,
        "progress": progress,
        "completed_days": completed_days,
        "percent": round(100 * len(completed_days) / len(lessons)) if lessons else 0,
        "next_lesson": next_lesson or (lessons[0] if lessons else None),
        "has_access": has_premium_access(user, course),
        "checkout_url": checkout_url(course) if course.is_premium else None,
        "price": f"{course.price_cents / 100:,.2f} {course.currency.upper()}",
        "previews": [lesson for lesson in lessons if lesson.is_preview],
        "minutes_a_day": queries.minutes_a_day(lessons),
        "certificate": getattr(enrollment, "certificate", None) if enrollment and enrollment.completed_at else None,
        "open_day": open_day,
        "locked_days": locked_days,
        "outline": outline(course, lessons, completed_days, locked_days),
    }


@page_access(Access.PUBLIC)
@require_GET
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course, lessons = queries.course_and_lessons_or_404(request.user, slug)
    return render(request, "catalog/course_detail.html", course_cta(request.user, course, lessons))
