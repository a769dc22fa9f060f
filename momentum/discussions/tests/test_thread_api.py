"""A lesson's thread through the API: who takes part, which thread they see, replies, the
limits on what a comment holds (the sanitiser included), paging."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from momentum.discussions.models import Comment
from momentum.discussions.tests.conftest import Class, post
from tests.factories import make_user

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """Every element of an HTML fragment with its attributes, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def test_an_enrolled_learner_posts_a_comment_everyone_in_the_thread_reads(api_as: Any, klass: Class) -> None:
    response = post(api_as, klass.lee, klass, "Day 2 made **sense** to me.")

    assert response.status_code == 201
    made = response.json()
    assert made["author"] == {"id": klass.lee.pk, "display_name": "Lee Learner"}
    assert made["body_html"] == "<p>Day 2 made <strong>sense</strong> to me.</p>\n"
    listed = api_as(klass.mia).get(klass.path).json()
    assert [item["id"] for item in listed["items"]] == [made["id"]]
    assert listed["items"][0]["hidden"] is False


def test_anonymous_callers_are_asked_to_sign_in(api: Any, klass: Class) -> None:
    assert api.get(klass.path).status_code == 401
    assert api.post(klass.path, {"body_markdown": "hi"}).json()["code"] == "not_authenticated"


def test_people_not_enrolled_cannot_read_or_post_even_on_the_free_preview(api_as: Any, klass: Class) -> None:
    outsider = make_user("olly@example.com")
    preview = klass.course.lessons.get(day=1)
    path = f"/courses/{klass.course.slug}/lessons/{preview.pk}/comments"

    answers = [api_as(outsider).get(path), api_as(outsider).post(path, {"body_markdown": "hello"})]

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(403, "not_enrolled")] * 2
    assert not Comment.objects.exists()


def test_course_staff_take_part_without_enrolling(api_as: Any, klass: Class) -> None:
    response = post(api_as, klass.admin, klass, "Welcome, everyone.")

    assert response.status_code == 201
    assert response.json()["cohort_id"] is None


def test_learners_in_a_cohort_see_only_their_cohorts_thread(api_as: Any, klass: Class) -> None:
    from_ana = post(api_as, klass.ana, klass, "Spring cohort here").json()["id"]
    from_ben = post(api_as, klass.ben, klass, "Autumn cohort here").json()["id"]
    from_lee = post(api_as, klass.lee, klass, "No cohort here").json()["id"]

    def seen_by(user: Any) -> list[int]:
        return [item["id"] for item in api_as(user).get(klass.path).json()["items"]]

    assert seen_by(klass.ana) == [from_ana]
    assert seen_by(klass.ben) == [from_ben]
    assert seen_by(klass.mia) == [from_lee]
    assert sorted(seen_by(klass.admin)) == sorted([from_ana, from_ben, from_lee])
    assert api_as(klass.ana).post(f"/comments/{from_ben}/report").status_code == 404


def test_a_reply_to_a_reply_answers_the_top_comment(api_as: Any, klass: Class) -> None:
    top = post(api_as, klass.lee, klass, "Question about step 2").json()["id"]
    reply = post(api_as, klass.mia, klass, "Try it slower", parent_id=top).json()["id"]

    answer = post(api_as, klass.lee, klass, "Thanks!", parent_id=reply)

    assert answer.status_code == 201
    assert answer.json()["parent_id"] == top
    [thread] = api_as(klass.mia).get(klass.path).json()["items"]
    assert [r["id"] for r in thread["replies"]] == [reply, answer.json()["id"]]


def test_a_staff_reply_in_a_cohort_thread_stays_in_that_thread(api_as: Any, klass: Class) -> None:
    top = post(api_as, klass.ana, klass, "Spring question").json()["id"]

    reply = post(api_as, klass.admin, klass, "Staff answer", parent_id=top).json()

    assert reply["cohort_id"] == klass.cohort_a.pk
    assert [r["id"] for r in api_as(klass.ana).get(klass.path).json()["items"][0]["replies"]] == [reply["id"]]


def test_replying_to_a_comment_of_another_thread_is_refused(api_as: Any, klass: Class) -> None:
    autumn = post(api_as, klass.ben, klass, "Autumn only").json()["id"]

    response = post(api_as, klass.ana, klass, "Sneaking in", parent_id=autumn)

    assert (response.status_code, response.json()["code"]) == (422, "invalid_parent")


def test_a_comment_holds_at_most_5000_characters(api_as: Any, klass: Class) -> None:
    assert post(api_as, klass.lee, klass, "x" * 5000).status_code == 201
    too_long = post(api_as, klass.lee, klass, "x" * 5001)
    blank = post(api_as, klass.lee, klass, "   \n ")

    assert too_long.status_code == 422
    assert (blank.status_code, blank.json()["errors"][0]["field"]) == (422, "body_markdown")


def test_the_database_refuses_an_overlong_or_empty_comment(klass: Class) -> None:
    for body in ("x" * 5001, ""):
        with pytest.raises(IntegrityError), transaction.atomic():
            Comment.objects.create(lesson=klass.lesson, author=klass.lee, body_markdown=body, body_html="")


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "![x](javascript:alert(1))",
        "<a href='https://e.example' onclick='alert(1)'>x</a>",
    ],
)
def test_a_comment_is_rendered_through_the_sanitiser(api_as: Any, klass: Class, hostile: str) -> None:
    body_html = post(api_as, klass.lee, klass, hostile).json()["body_html"]

    elements = Elements()
    elements.feed(body_html)
    assert "script" not in [tag for tag, _ in elements.found]
    attributes = [(name, value or "") for _, attrs in elements.found for name, value in attrs]
    assert not [name for name, _ in attributes if name.startswith("on")]
    assert not [value for _, value in attributes if value.strip().lower().startswith("javascript:")]


def test_the_thread_is_paged_newest_first_or_oldest_first(api_as: Any, klass: Class, settings: Any) -> None:
    settings.DISCUSSION_COMMENT_RATE = (100, 60)
    ids = [post(api_as, klass.lee, klass, f"Comment {n}").json()["id"] for n in range(5)]

    newest = api_as(klass.mia).get(klass.path, {"page_size": 2}).json()
    oldest = api_as(klass.mia).get(klass.path, {"page_size": 2, "page": 2, "order": "oldest"}).json()

    assert (newest["count"], [i["id"] for i in newest["items"]]) == (5, ids[:-3:-1])
    assert [i["id"] for i in oldest["items"]] == ids[2:4]
    assert api_as(klass.mia).get(klass.path, {"order": "random"}).status_code == 422
