"""The lesson page's database work: one query per concern, what is the same for every learner from
the cache, and a cached part that changes the moment its rows are edited (any way they are)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from momentum.assessments.actions import do_put_quiz
from momentum.assessments.models import Option
from momentum.assessments.tests.factories import quiz_spec
from momentum.catalog.models import Lesson
from momentum.learning.actions import do_enroll, do_record_progress
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def lesson_page_queries() -> int:
    """Session, user, enrolment, progress, the learner's attempts, a posting suspension
    (discussions), unread notifications. The course with its lessons, the quiz and the cohort's
    page of comments come from the shared regions: from memory (revisions pushed, or read on
    SQLite's raw connection: not counted), or else each after a query of its revisions. The view
    event and last activity are buffered (the ``clock`` fixture): no write."""
    return 7 if settings.REGIONS_IN_MEMORY else 10


@pytest.fixture
def quiz_course(admin: Any, course: Any) -> Any:
    for lesson in course.lessons.all():
        do_put_quiz(admin, lesson, quiz_spec())
    return course


def lesson_url(course: Any, day: int) -> str:
    return f"/courses/{course.slug}/day/{day}/"


def test_a_lesson_page_with_a_quiz_costs_the_same_few_queries_on_every_day(
    client: Any, enrolled: Any, quiz_course: Any, clock: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(enrolled)
    for day in (1, 2, 3):
        client.get(lesson_url(quiz_course, day))  # the first view of a day fills the shared cache

    for day in (1, 2, 3):
        with django_assert_num_queries(lesson_page_queries()):
            assert client.get(lesson_url(quiz_course, day)).status_code == 200


def test_an_edited_lesson_body_shows_on_the_next_view(client: Any, enrolled: Any, course: Any) -> None:
    client.force_login(enrolled)
    assert "Fresh words" not in client.get(lesson_url(course, 2)).content.decode()

    # an update that no signal sees: the database's trigger moves the catalogue revision
    Lesson.objects.filter(course=course, day=2).update(content_markdown="## Fresh words\n\nNew today.")

    assert "Fresh words" in client.get(lesson_url(course, 2)).content.decode()


def test_an_edited_quiz_option_shows_on_the_next_view(client: Any, enrolled: Any, quiz_course: Any) -> None:
    client.force_login(enrolled)
    option = Option.objects.filter(question__quiz__lesson__course=quiz_course, question__quiz__lesson__day=2).first()
    assert option is not None
    assert "Freshly worded" not in client.get(lesson_url(quiz_course, 2)).content.decode()

    Option.objects.filter(pk=option.pk).update(text="Freshly worded")

    assert "Freshly worded" in client.get(lesson_url(quiz_course, 2)).content.decode()


def test_the_outline_shared_by_the_courses_learners_marks_each_ones_own_days(
    client: Any, enrolled: Any, course: Any
) -> None:
    other = make_user("other@example.com")
    do_enroll(other, course)
    lessons = list(course.lessons.order_by("day"))
    do_record_progress(other, lessons[0], completed=True)
    do_record_progress(other, lessons[2], completed=True)
    client.force_login(enrolled)
    mine = client.get(lesson_url(course, 2)).content.decode()  # renders the outline's pieces
    client.force_login(other)
    theirs = client.get(lesson_url(course, 3)).content.decode()  # joins them

    assert mine.count("(completed)") == 0
    assert theirs.count("(completed)") == 2
    assert f'href="{lesson_url(course, 2)}" aria-current="page"' in mine
    assert f'href="{lesson_url(course, 3)}" aria-current="page"' in theirs
    for page in (mine, theirs):
        outline = page[page.index('id="course-outline"') :]
        assert outline.count('aria-current="page"') == 1


def test_a_retitled_lesson_shows_in_the_outline_on_the_next_view(client: Any, enrolled: Any, course: Any) -> None:
    client.force_login(enrolled)
    assert "Renamed in place" not in client.get(lesson_url(course, 1)).content.decode()

    Lesson.objects.filter(course=course, day=3).update(title="Renamed in place")

    assert "Day 3: Renamed in place" in client.get(lesson_url(course, 1)).content.decode()
