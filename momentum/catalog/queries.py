"""Reading the catalogue: what each caller may see, with what it needs loaded.

``visible_courses`` is the one place where drafts and archived courses are hidden: every
list, detail, lesson, search and recommendation starts from it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404

from momentum.catalog import search, staff
from momentum.catalog.models import (
    DEFAULT_LANGUAGE,
    CaptionTrack,
    Category,
    Course,
    CourseInstructor,
    Lesson,
    Level,
    Status,
)
from momentum.lib import object_keys
from momentum.platform.caching import CATALOGUE, CATEGORIES

Keyed = TypeVar("Keyed", Category, Course)

SORTS = ("newest", "popular", "title", "relevance")
PRICES = ("free", "paid")
_ORDERINGS = {
    "newest": ("-created_at", "-id"),
    "popular": ("-enrollment_count", "-created_at", "-id"),
    "title": ("title", "id"),
}


def categories() -> QuerySet[Category]:
    return Category.objects.all()


def cached_categories() -> list[Category]:
    """The categories, from the cache (24 h, and until any catalogue write)."""
    return CATEGORIES.get_or_build("all", lambda: list(Category.objects.all()))


def category_by_key(key: str | int) -> Category | None:
    return _by_key(Category.objects.all(), key).first()


def published_courses() -> QuerySet[Course]:
    return Course.objects.filter(status=Status.PUBLISHED).select_related("category")


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def visible_courses(user: Any) -> QuerySet[Course]:
    """Admins see every course; everyone else sees published ones."""
    if is_admin(user):
        return Course.objects.select_related("category")
    return published_courses()


def _by_key(objects: QuerySet[Keyed], key: str | int) -> QuerySet[Keyed]:
    """``objects`` narrowed to the one whose id or slug is ``key``."""
    id_or_slug = object_keys.id_or_slug(key)
    return objects.filter(pk=id_or_slug) if isinstance(id_or_slug, int) else objects.filter(slug=id_or_slug)


def visible_course_or_404(user: Any, key: str | int, *, with_lessons: bool = False) -> Course:
    """A course by id or slug, or 404 when it does not exist or the caller may not see it."""
    courses = _by_key(visible_courses(user), key)
    if with_lessons:
        courses = courses.prefetch_related(Prefetch("lessons", queryset=with_has_quiz(Lesson.objects.order_by("day"))))
    course = courses.first()
    if course is None:
        raise Http404("No such course")
    return course


def staffed_course_or_404(user: Any, key: str | int) -> Course:
    """A course by id or slug, whatever its status, for an operation only its staff may use: 404 when
    there is no such course, 403 ``not_course_owner`` when ``user`` does not run it (catalog/staff.py)."""
    course = _by_key(Course.objects.select_related("category"), key).first()
    if course is None:
        raise Http404("No such course")
    return staff.require_course_staff(user, course)


def with_lessons(course: Course) -> Course:
    """``course`` with its lessons loaded once, in day order (``course.lessons.all()`` reads them)."""
    prefetch_related_objects([course], Prefetch("lessons", queryset=Lesson.objects.order_by("day")))
    return course


def course_and_lessons_or_404(user: Any, key: str | int) -> tuple[Course, list[Lesson]]:
    """``visible_course_or_404`` with its lessons in day order; from the cache for non-admins
    (the same for all of them), until the catalogue changes."""

    def load() -> tuple[Course, list[Lesson]]:
        course = visible_course_or_404(user, key, with_lessons=True)
        return course, list(course.lessons.all())

    if is_admin(user):  # admins also see drafts: never cached
        return load()
    return CATALOGUE.get_or_build(f"course-and-lessons|{key}", load)


def with_has_quiz(lessons: QuerySet[Lesson]) -> QuerySet[Lesson]:
    """``lessons``, each with ``has_quiz`` (the assessments app's quiz, through its reverse relation)."""
    return lessons.annotate(has_quiz=ExpressionWrapper(Q(quiz__isnull=False), output_field=BooleanField()))


def lesson_has_quiz(lesson: Lesson) -> bool:
    return Lesson.objects.filter(pk=lesson.pk, quiz__isnull=False).exists()


def minutes_a_day(lessons: list[Lesson]) -> int | None:
    """What a day of the course takes, typically: the rounded mean of its lessons' durations
    (those that give one); None when none does."""
    minutes = [lesson.duration_minutes for lesson in lessons if lesson.duration_minutes]
    return round(sum(minutes) / len(minutes)) if minutes else None


def visible_lesson_or_404(
    user: Any, course_key: str | int | None = None, *, lesson_id: int | None = None, day: int | None = None
) -> Lesson:
    """A lesson (by id, or by day within the course) of a course the caller may see, with its course.

    Within a course, for anyone but an admin: from the course and lessons the course page caches
    (one revision read), not a query joining lessons to the visible courses (compiling that query
    was a quarter of a progress PUT's CPU)."""
    if course_key is not None and not is_admin(user):
        try:
            _course, in_course = course_and_lessons_or_404(user, course_key)
        except Http404:
            raise Http404("No such lesson") from None
        found = next(
            (each for each in in_course if (each.pk == lesson_id if lesson_id is not None else each.day == day)), None
        )
        if found is None:
            raise Http404("No such lesson")
        return found
    courses = visible_courses(user)
    if course_key is not None:
        courses = _by_key(courses, course_key)
    lessons = Lesson.objects.select_related("course", "course__category").filter(course__in=courses.values("pk"))
    lookup = {"pk": lesson_id} if lesson_id is not None else {"day": day}
    lesson = lessons.filter(**lookup).first()
    if lesson is None:
        raise Http404("No such lesson")
    return lesson


def catalogue(
    user: Any,
    *,
    q: str = "",
    category: str | int | None = None,
    duration_days: int | None = None,
    level: str = "",
    language: str = "",
    price: str = "",
    sort: str = "",
    status: str = "",
    prefer: str = "",
) -> QuerySet[Course]:
    """The course list with its filters and sort. Only admins may ask for other statuses than published.

    The default order is relevance when searching and newest otherwise; courses in the ``prefer``
    language (the caller's) come first, each group in that order.
    """
    courses = visible_courses(user)
    if not is_admin(user) or not status:
        courses = courses.filter(status=Status.PUBLISHED)
    elif status in Status.values:
        courses = courses.filter(status=status)
    if category not in (None, ""):
        category_key = object_keys.id_or_slug(category)
        courses = (
            courses.filter(category__pk=category_key)
            if isinstance(category_key, int)
            else courses.filter(category__slug=category_key)
        )
    if duration_days:
        courses = courses.filter(duration_days=duration_days)
    if level and level.upper() in Level.values:
        courses = courses.filter(level=level.upper())
    if language:
        courses = courses.filter(language=language.lower())
    if price in PRICES:
        courses = courses.filter(is_premium=price == "paid")
    if q.strip():
        courses = search.search(courses, q)
        ordering = _ORDERINGS[sort] if sort in _ORDERINGS else tuple(str(f) for f in courses.query.order_by)
    else:
        ordering = _ORDERINGS.get(sort, _ORDERINGS["newest"])
    if prefer and not language:
        return courses.order_by(in_language_first(prefer), *ordering)
    return courses.order_by(*ordering)


def in_language_first(language: str) -> Case:
    """An ordering term that puts courses written in ``language`` before the others (a CASE in SQL,
    so that pagination and the database's sort agree)."""
    primary = language.lower().split("-")[0]
    return Case(When(language=primary, then=Value(0)), default=Value(1), output_field=IntegerField())


def reader_language(request: Any) -> str:
    """The language a caller reads: a signed-in user's profile language, else the best match of
    ``Accept-Language`` among the interface languages, else the site's default (a primary code)."""
    from django.utils import translation

    chosen = str(getattr(getattr(request, "user", None), "language", "") or "")
    if not chosen:
        chosen = translation.get_language_from_request(request)
    return chosen.lower().split("-")[0] or DEFAULT_LANGUAGE


def did_you_mean(user: Any, q: str, **filters: Any) -> str:
    """The search ``q`` with its misspelt words corrected, among the courses the filters leave ("" if none)."""
    if not q.strip():
        return ""
    return search.did_you_mean(catalogue(user, **filters), q)


def published_levels() -> list[tuple[str, str]]:
    """The levels (value, label) some published course has, easiest first: what the level filter offers."""
    present = set(published_courses().order_by().values_list("level", flat=True).distinct())
    return [(value, str(label)) for value, label in Level.choices if value in present]


def published_languages() -> list[str]:
    """The languages some published course is written in (codes, sorted): what the language filter
    offers. Cached until the catalogue changes."""

    def load() -> list[str]:
        return sorted(set(published_courses().order_by().values_list("language", flat=True).distinct()))

    return list(CATALOGUE.get_or_build("published-languages", load))


def newest(limit: int = 8) -> list[Course]:
    return list(published_courses().order_by(*_ORDERINGS["newest"])[:limit])


def popular(limit: int = 8) -> list[Course]:
    return list(published_courses().order_by(*_ORDERINGS["popular"])[:limit])


def featured(limit: int = 3) -> list[Course]:
    """Courses an admin marked ``metadata.featured``, else the most followed course of each category."""
    chosen = list(published_courses().filter(metadata__featured=True).order_by(*_ORDERINGS["popular"])[:limit])
    if chosen:
        return chosen
    best: dict[int, Course] = {}
    for course in published_courses().order_by(*_ORDERINGS["popular"])[: limit * 8]:
        best.setdefault(course.category_id, course)
    return list(best.values())[:limit]


def course_choices() -> list[tuple[int, str]]:
    """Every course as ``(pk, title)``, by title: the choices of a course picker."""
    return list(Course.objects.order_by("title").values_list("pk", "title"))


def course_or_none(pk: int | str) -> Course | None:
    return Course.objects.filter(pk=pk).first()


def next_lesson(lesson: Lesson) -> Lesson | None:
    """The lesson after ``lesson`` in its course, if any."""
    return Lesson.objects.filter(course_id=lesson.course_id, day__gt=lesson.day).order_by("day").first()


def first_lesson(course: Course) -> Lesson | None:
    return Lesson.objects.filter(course=course).order_by("day").first()


def lesson_of(course: Course, pk: int) -> Lesson | None:
    """The lesson ``pk`` of ``course`` (``None``: the course has no such lesson)."""
    return course.lessons.filter(pk=pk).first()


def course_instructors(course: Course) -> list[dict[str, Any]]:
    """The course's owner (when it has one) then its co-instructors, oldest first."""
    people: list[dict[str, Any]] = []
    if course.owner is not None:
        people.append(_person(course.owner, "owner"))
    for row in CourseInstructor.objects.filter(course=course).select_related("user"):
        people.append(_person(row.user, "co_instructor"))
    return people


def _person(user: Any, role: str) -> dict[str, Any]:
    return {"id": user.pk, "display_name": user.name, "email": user.email, "role": role}


def awaiting_approval() -> QuerySet[Course]:
    """Courses an instructor asked to publish, waiting for an admin, the oldest request first."""
    return (
        Course.objects.filter(publish_requested_at__isnull=False)
        .select_related("category", "owner")
        .order_by("publish_requested_at", "pk")
    )


# --- Captions -----------------------------------------------------------------------------------


def course_language(course: Course) -> str:
    """The language a course is written in (its ISO 639 code)."""
    return course.language or DEFAULT_LANGUAGE


def caption_tracks(lesson: Lesson) -> list[CaptionTrack]:
    """The lesson's caption tracks, the course's language first, then by language."""
    tracks = list(CaptionTrack.objects.filter(lesson=lesson).order_by("language"))
    main = course_language(lesson.course).lower().split("-")[0]
    return sorted(tracks, key=lambda track: track.language.lower().split("-")[0] != main)


def caption_track(lesson: Lesson, language: str) -> CaptionTrack | None:
    return CaptionTrack.objects.filter(lesson=lesson, language=language).first()
