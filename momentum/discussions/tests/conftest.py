"""The people and places of a discussion: a course, its day-2 lesson, learners with and without a cohort."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from momentum.accounts.models import Role, User
from momentum.catalog.models import Course, Lesson
from momentum.learning.models import Cohort, Enrollment
from tests.factories import make_course, make_user


@dataclass
class Class:
    course: Course
    lesson: Lesson
    cohort_a: Cohort
    cohort_b: Cohort
    lee: User  # no cohort: the course-wide thread
    mia: User  # no cohort
    ana: User  # cohort A
    ben: User  # cohort B
    admin: User

    @property
    def path(self) -> str:
        return f"/courses/{self.course.slug}/lessons/{self.lesson.pk}/comments"


def enrol(user: User, course: Course, cohort: Cohort | None = None) -> Enrollment:
    return Enrollment.objects.create(user=user, course=course, cohort=cohort)


@pytest.fixture
def klass(db: None) -> Class:
    course = make_course("Talk it through", slug="talk-it-through")
    cohort_a = Cohort.objects.create(course=course, name="Spring", starts_on=date(2026, 3, 1))
    cohort_b = Cohort.objects.create(course=course, name="Autumn", starts_on=date(2026, 9, 1))
    people = {
        "lee": make_user("lee@example.com", display_name="Lee Learner"),
        "mia": make_user("mia@example.com", display_name="Mia Moreau"),
        "ana": make_user("ana@example.com", display_name="Ana Alves"),
        "ben": make_user("ben@example.com", display_name="Ben Brown"),
    }
    enrol(people["lee"], course)
    enrol(people["mia"], course)
    enrol(people["ana"], course, cohort_a)
    enrol(people["ben"], course, cohort_b)
    admin = make_user("ada@example.com", role=Role.ADMIN, display_name="Ada Admin")
    return Class(course, course.lessons.get(day=2), cohort_a, cohort_b, admin=admin, **people)


def post(api_as: Any, user: User, klass: Class, body: str, **extra: Any) -> Any:
    return api_as(user).post(klass.path, {"body_markdown": body, **extra})
