"""GET /categories, /courses, /courses/{course}: filters, sorts, pagination, visibility."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from momentum.catalog.models import Course, Status
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def slugs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


@pytest.fixture
def catalogue() -> dict[str, Course]:
    now = timezone.now()
    courses = {
        "python": make_course("Python in a week", category="technology", duration_days=7, level="BEGINNER",
                              created_at=now - timedelta(days=3)),
        "sales": make_course("Selling without fear", category="business", duration_days=14, level="INTERMEDIATE",
                             created_at=now - timedelta(days=2)),
        "sketch": make_course("Sketching daily", category="creative-arts", duration_days=21, level="ADVANCED",
                              created_at=now - timedelta(days=1)),
        "draft": make_course("Secret draft", status=Status.DRAFT),
        "archived": make_course("Old archived course", status=Status.ARCHIVED),
    }  # fmt: skip
    Course.objects.filter(pk=courses["sales"].pk).update(enrollment_count=30)
    Course.objects.filter(pk=courses["sketch"].pk).update(enrollment_count=10)
    return courses


def test_the_six_categories_are_listed(api: Any) -> None:
    body = api.get("/categories").json()
    assert body["count"] == 6
    assert {"id", "slug", "name"} <= set(body["items"][0])


def test_the_list_shows_published_courses_newest_first(api: Any, catalogue: Any) -> None:
    assert slugs(api.get("/courses")) == [catalogue[k].slug for k in ("sketch", "sales", "python")]


@pytest.mark.parametrize("persona", [None, "learner", "premium_learner"])
def test_drafts_and_archived_courses_never_reach_non_admins(
    persona: str | None, request: Any, api: Any, api_as: Any, catalogue: Any
) -> None:
    client = api if persona is None else api_as(request.getfixturevalue(persona))
    for status in ("", "DRAFT", "ARCHIVED"):
        listed = slugs(client.get("/courses", {"status": status}))
        assert catalogue["draft"].slug not in listed
        assert catalogue["archived"].slug not in listed
    assert client.get(f"/courses/{catalogue['draft'].slug}").status_code == 404
    assert client.get(f"/courses/{catalogue['archived'].pk}").status_code == 404
    assert slugs(client.get("/courses", {"q": "secret draft"})) == []


def test_an_admin_may_list_drafts_and_open_them(api_as: Any, admin: Any, catalogue: Any) -> None:
    client = api_as(admin)
    assert slugs(client.get("/courses", {"status": "DRAFT"})) == [catalogue["draft"].slug]
    body = client.get(f"/courses/{catalogue['draft'].slug}").json()
    assert body["status"] == "DRAFT"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "business"}, ["sales"]),
        ({"duration_days": 21}, ["sketch"]),
        ({"level": "BEGINNER"}, ["python"]),
        ({"level": "beginner", "duration_days": 14}, []),
    ],
)
def test_filters_narrow_the_list(api: Any, catalogue: Any, params: dict[str, Any], expected: list[str]) -> None:
    assert slugs(api.get("/courses", params)) == [catalogue[key].slug for key in expected]


def test_the_price_filter_keeps_free_or_paid_courses(api: Any, catalogue: Any) -> None:
    paid = make_course("Negotiation masterclass", category="business", is_premium=True, price_cents=2900)
    assert slugs(api.get("/courses", {"price": "paid"})) == [paid.slug]
    assert paid.slug not in slugs(api.get("/courses", {"price": "free"}))
    assert len(slugs(api.get("/courses", {"price": "free"}))) == 3
    assert api.get("/courses", {"price": "cheap"}).status_code == 422


def test_a_category_may_be_named_by_id(api: Any, catalogue: Any) -> None:
    category_id = catalogue["sketch"].category_id
    assert slugs(api.get("/courses", {"category": category_id})) == [catalogue["sketch"].slug]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("newest", ["sketch", "sales", "python"]), ("popular", ["sales", "sketch", "python"]),
     ("title", ["python", "sales", "sketch"])],
)  # fmt: skip
def test_sorts_order_the_list(api: Any, catalogue: Any, sort: str, expected: list[str]) -> None:
    assert slugs(api.get("/courses", {"sort": sort})) == [catalogue[key].slug for key in expected]


def test_an_unknown_sort_is_refused(api: Any) -> None:
    response = api.get("/courses", {"sort": "price"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_pages_hold_at_most_page_size_items_and_count_them_all(api: Any, catalogue: Any) -> None:
    first = api.get("/courses", {"page_size": 2}).json()
    second = api.get("/courses", {"page_size": 2, "page": 2}).json()
    beyond = api.get("/courses", {"page_size": 2, "page": 9}).json()
    assert (len(first["items"]), len(second["items"]), beyond["items"]) == (2, 1, [])
    assert first["count"] == second["count"] == 3
    assert (first["page"], first["page_size"]) == (1, 2)


@pytest.mark.parametrize("params", [{"page_size": 101}, {"page_size": 0}, {"page": 0}])
def test_page_sizes_beyond_the_limits_are_refused(api: Any, params: dict[str, int]) -> None:
    assert api.get("/courses", params).status_code == 422


def test_the_list_costs_the_same_queries_whatever_the_page_size(
    api: Any, catalogue: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(12):
        make_course("Another course", duration_days=7)
    with django_assert_max_num_queries(3):
        assert len(api.get("/courses", {"page_size": 1}).json()["items"]) == 1
    with django_assert_max_num_queries(4):  # a search asks once which of its words are spelt as some course has them
        assert len(api.get("/courses", {"page_size": 100, "q": "course"}).json()["items"]) >= 12


def test_a_course_shows_its_outline_in_day_order(api: Any, catalogue: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(4):  # the cache revision, the course, its lessons, its upcoming cohorts
        body = api.get(f"/courses/{catalogue['python'].slug}").json()
    assert [lesson["day"] for lesson in body["lessons"]] == list(range(1, 8))
    assert body["lessons"][0] == {**body["lessons"][0], "is_preview": True, "has_video": False}
    assert body["category"]["slug"] == "technology"
    assert body["lesson_count"] == 7


def test_a_course_is_addressable_by_id_too(api: Any, catalogue: Any) -> None:
    assert api.get(f"/courses/{catalogue['python'].pk}").json()["slug"] == catalogue["python"].slug
