"""The course page's outline: each enrolled learner's own done days, the free previews for those
who are not enrolled, every day for admins; the days come from pieces shared by the page's readers
(catalog/templatetags/course_outline_tags.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from momentum.accounts.models import Role
from momentum.catalog.models import Lesson
from momentum.learning.actions import do_enroll, do_record_progress
from tests.factories import make_course, make_user

pytestmark = pytest.mark.django_db


def page_of(user: Any, course: Any) -> str:
    browser = Client()
    browser.force_login(user)
    html: str = browser.get(f"/courses/{course.slug}/").content.decode()
    outline = html[html.index('id="outline-heading"') :]
    return outline[: outline.index("</ol>")]


def test_each_enrolled_learner_sees_their_own_done_days_from_the_shared_pieces() -> None:
    course = make_course("Seven small steps", duration_days=7)
    lessons = list(course.lessons.order_by("day"))
    ann, bob = make_user("ann@example.com"), make_user("bob@example.com")
    for learner in (ann, bob):
        do_enroll(learner, course)
    do_record_progress(bob, lessons[0], completed=True)
    do_record_progress(bob, lessons[1], completed=True)

    anns, bobs = page_of(ann, course), page_of(bob, course)  # the second joins the first one's pieces

    assert anns.count("completed</span>") == 0
    assert bobs.count("completed</span>") == 2
    assert anns.count("<a href=") == bobs.count("<a href=") == 7


def test_a_reader_not_enrolled_gets_links_to_the_free_previews_only_and_an_admin_to_every_day() -> None:
    course = make_course("Seven small steps", duration_days=7)
    Lesson.objects.filter(course=course, day=1).update(is_preview=True)
    visitor, admin = make_user("val@example.com"), make_user("ada@example.com", role=Role.ADMIN)

    visitors, admins = page_of(visitor, course), page_of(admin, course)

    assert visitors.count("<a href=") == 1
    assert visitors.count("Free preview") == 1
    assert admins.count("<a href=") == 7
