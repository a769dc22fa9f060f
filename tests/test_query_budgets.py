"""Query budgets: each hot endpoint runs a fixed number of queries, whatever the page size, the
number of lessons or the learner's history (no N+1). Counted on a cold cache, so the database
work itself is what is measured; a warm cache costs one revision lookup (test_caching.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from momentum.accounts.models import User
from momentum.catalog.models import Course
from momentum.learning.actions import do_enroll, do_record_progress
from momentum.platform import caching
from tests.factories import make_course

pytestmark = pytest.mark.django_db

# The queries each may run (cold cache, measured 2026-11-24); the tests also check it does not grow
# with size. The catalogue's three are the cache revision, the COUNT and the page; a search adds one that
# asks which of its words some course has (the others are corrected: catalog/search.py).
BUDGETS = {
    "catalogue API": 3,
    "catalogue search": 4,
    "course detail API": 4,  # the course, its lessons, its upcoming cohorts, the cache revision
    # Signed-in pages include the header bell's unread count: one count on the inbox index.
    "course page": 9,
    # 10, the discussion (the learner in its thread, its first page and that page's cache revision), and the
    # view event and last activity: written through in the test profile, buffered (no query in the request)
    # in production (ADR 0023)
    "lesson page": 14,
    # cold, the course and its lessons are read into the catalogue cache (2 queries); warm, the
    # revision read replaces a lesson query joined to the visible courses. A lesson's first write: the
    # player's one-statement path finds no row (the enrolment and an UPDATE), then the write takes its
    # turn on the enrolment; a repeat is 3 fewer than its first (no transaction, no lock, no read)
    "progress PUT": 15,
    "dashboard": 15,
    "my stats API": 5,
}


def cold_queries(call: Callable[[], Any]) -> int:
    cache.clear()
    caching.MEMORY.clear()
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, response.content[:300]
    return len(captured.captured_queries)


def courses(n: int, days: int = 7) -> list[Course]:
    return [make_course(f"Course number {i}", duration_days=days) for i in range(n)]


def test_the_catalogue_api_costs_the_same_for_1_or_100_courses_a_page(api: Any) -> None:
    courses(12)

    small = cold_queries(lambda: api.get("/courses?page_size=1"))
    large = cold_queries(lambda: api.get("/courses?page_size=100"))

    assert small == large <= BUDGETS["catalogue API"]


def test_a_search_costs_the_same_for_few_or_many_matches(api: Any) -> None:
    courses(12)

    few = cold_queries(lambda: api.get("/courses?q=number&page_size=1"))
    many = cold_queries(lambda: api.get("/courses?q=number&page_size=100"))

    assert few == many <= BUDGETS["catalogue search"]


def test_course_detail_costs_the_same_for_7_or_21_lessons(api: Any) -> None:
    short, long = make_course("Short one", duration_days=7), make_course("Long one", duration_days=21)

    assert (
        cold_queries(lambda: api.get(f"/courses/{short.slug}"))
        == cold_queries(lambda: api.get(f"/courses/{long.slug}"))
        <= BUDGETS["course detail API"]
    )


def test_the_course_page_costs_the_same_for_7_or_21_lessons(client: Client, learner: User) -> None:
    short, long = make_course("Short one", duration_days=7), make_course("Long one", duration_days=21)
    for course in (short, long):
        do_enroll(learner, course)
    client.force_login(learner)

    assert (
        cold_queries(lambda: client.get(f"/courses/{short.slug}/"))
        == cold_queries(lambda: client.get(f"/courses/{long.slug}/"))
        <= BUDGETS["course page"]
    )


def _lesson_page(client: Client, course: Course, day: int) -> Any:
    return client.get(reverse("learning:lesson", args=[course.slug, day]))


def test_the_lesson_page_costs_the_same_on_day_1_of_7_or_day_20_of_21(client: Client, learner: User) -> None:
    short, long = make_course("Short one", duration_days=7), make_course("Long one", duration_days=21)
    for course in (short, long):
        do_enroll(learner, course)
    for lesson in long.lessons.filter(day__lt=20):
        do_record_progress(learner, lesson, completed=True)
    client.force_login(learner)

    assert (
        cold_queries(lambda: _lesson_page(client, short, 1))
        == cold_queries(lambda: _lesson_page(client, long, 20))
        <= BUDGETS["lesson page"]
    )


def test_a_progress_put_costs_the_same_early_or_late_in_a_course(api_as: Any, learner: User) -> None:
    course = make_course("Long one", duration_days=21)
    do_enroll(learner, course)
    me = api_as(learner)
    lessons = list(course.lessons.order_by("day"))
    for lesson in lessons[1:15]:
        do_record_progress(learner, lesson, completed=True)

    def put(lesson_id: int) -> Callable[[], Any]:
        return lambda: me.put(
            f"/courses/{course.slug}/lessons/{lesson_id}/progress", {"completed": False, "position_seconds": 30}
        )

    first = cold_queries(put(lessons[0].pk))
    assert first == cold_queries(put(lessons[16].pk)) <= BUDGETS["progress PUT"]
    assert cold_queries(put(lessons[0].pk)) == cold_queries(put(lessons[16].pk)) <= first - 3


def test_the_dashboard_costs_the_same_for_1_or_6_courses(client: Client, learner: User, stranger: User) -> None:
    (one,) = courses(1)
    six = courses(6, days=14)
    do_enroll(learner, one)
    for course in six:
        do_enroll(stranger, course)
        do_record_progress(stranger, course.lessons.get(day=1), completed=True)

    client.force_login(learner)
    few = cold_queries(lambda: client.get(reverse("learning:dashboard")))
    client.force_login(stranger)
    many = cold_queries(lambda: client.get(reverse("learning:dashboard")))

    assert few == many <= BUDGETS["dashboard"]


def test_my_stats_cost_the_same_for_a_new_or_a_busy_learner(api_as: Any, learner: User, stranger: User) -> None:
    for course in courses(3):
        do_enroll(stranger, course)
        for lesson in course.lessons.all():
            do_record_progress(stranger, lesson, completed=True)

    assert (
        cold_queries(lambda: api_as(learner).get("/me/stats"))
        == cold_queries(lambda: api_as(stranger).get("/me/stats"))
        <= BUDGETS["my stats API"]
    )
