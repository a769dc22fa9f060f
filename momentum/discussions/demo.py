"""A lively demo thread (called by `momentum seed-demo`, after the learner's history): on day 1 of
the 14-day course the demo learner follows, three classmates and the admin talk it through,
with replies and a mention (which notifies). Idempotent: a lesson that has comments is left alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from momentum.accounts.actions import do_create_user
from momentum.accounts.models import User
from momentum.discussions.actions import do_post_comment
from momentum.discussions.models import Comment
from momentum.discussions.queries import participant
from momentum.learning.actions import do_enroll
from momentum.learning.models import Enrollment
from momentum.lib import clock

CLASSMATES = [
    ("noor.haddad@classmates.momentum.localhost", "Noor Haddad"),
    ("tomas.reyes@classmates.momentum.localhost", "Tomás Reyes"),
    ("priya.natarajan@classmates.momentum.localhost", "Priya Natarajan"),
]
# (who, hours ago, text, the index of the top-level comment it answers)
THREAD: list[tuple[str, int, str, int | None]] = [
    (
        "Noor Haddad",
        50,
        "Day 1 clicked for me: I did the exercise **before breakfast** and it stuck all day. "
        "Anyone else trying mornings?",
        None,
    ),
    ("Tomás Reyes", 47, "Mornings never work for me; I do it on the bus home. Ten minutes is just right.", 0),
    ("learner", 45, "Same here, evenings suit me better.", 0),
    ("admin", 44, "Both work. What matters most is doing it at the same time each day.", 0),
    (
        "Priya Natarajan",
        26,
        "Small tip: I write today's key term on a sticky note by the screen. @Noor, which one did you pick?",
        None,
    ),
    ("Noor Haddad", 24, "The first one from the summary. Great idea, I'll try the sticky note.", 4),
    ("Tomás Reyes", 3, "Is there a transcript of the video somewhere? I'd like to read it again.", None),
]


def _classmate(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    return user or do_create_user(email, None, display_name=name, email_verified=True)


def seed(*, admin: Any, learner: Any, stdout: Any) -> None:
    enrollment = (
        Enrollment.objects.filter(user=learner, course__duration_days=14).select_related("course").first()
        or Enrollment.objects.filter(user=learner).select_related("course").first()
    )
    if enrollment is None:
        return
    lesson = enrollment.course.lessons.order_by("day").first()
    if lesson is None or Comment.objects.filter(lesson=lesson).exists():
        stdout.write("The demo discussion is already there.")
        return
    people: dict[str, Any] = {"learner": learner, "admin": admin}
    for email, name in CLASSMATES:
        people[name] = _classmate(email, name)
        if not Enrollment.objects.filter(user=people[name], course=enrollment.course).exists():
            do_enroll(people[name], enrollment.course, now=timezone.now() - timedelta(days=3))
    posted: list[Comment] = []
    now = timezone.now()
    for who, hours_ago, text, answers in THREAD:
        with clock.travel_to(now - timedelta(hours=hours_ago)):
            parent = posted[answers].pk if answers is not None else None
            posted.append(do_post_comment(participant(people[who], lesson), text, parent_id=parent))
    stdout.write(f"Demo discussion: {len(posted)} comments on “{lesson.title}” ({enrollment.course.title}).")
