"""The demo thread: several learners, replies and a mention that notifies, written once."""

from __future__ import annotations

import io

import pytest

from momentum.accounts.models import Notification, Role
from momentum.discussions import demo
from momentum.discussions.models import Comment
from momentum.learning.models import Enrollment
from tests.factories import make_course, make_user

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_lively_thread_once() -> None:
    admin = make_user("admin@momentum.localhost", role=Role.ADMIN, display_name="Demo Admin")
    learner = make_user("learner@momentum.localhost", display_name="Demo Learner")
    course = make_course("Fortnight", duration_days=14)
    Enrollment.objects.create(user=learner, course=course)

    demo.seed(admin=admin, learner=learner, stdout=io.StringIO())
    demo.seed(admin=admin, learner=learner, stdout=io.StringIO())

    comments = Comment.objects.filter(lesson__course=course)
    assert comments.count() == len(demo.THREAD)
    assert comments.filter(parent__isnull=False).count() == 4
    assert comments.values("author").distinct().count() == 5
    noor = comments.get(body_markdown__startswith="Day 1 clicked").author
    assert Notification.objects.filter(user=noor, kind="mention").count() == 1
    assert Notification.objects.filter(user=noor, kind="reply").count() == 3
