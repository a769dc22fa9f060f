"""Course authoring through the API: create, change, publish, archive, delete (admins only)."""

from __future__ import annotations

import pytest

from momentum.audit.models import AuditLog
from momentum.catalog.models import Course, Status
from momentum.catalog.tests.authoring import draft_course, published_course

pytestmark = pytest.mark.django_db

NEW_COURSE = {
    "title": "Seven days of sketching",
    "description": "A line a day.",
    "category": "creative-arts",
    "duration_days": 7,
}


def test_an_admin_creates_a_draft_course_and_it_is_audited(admin, api_as) -> None:
    response = api_as(admin).post("/courses", NEW_COURSE)

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "DRAFT"
    assert body["slug"] == "seven-days-of-sketching"
    assert body["category"]["slug"] == "creative-arts"
    assert body["missing_days"] == [1, 2, 3, 4, 5, 6, 7]
    assert AuditLog.objects.filter(action="course.created", actor=admin, resource_id=str(body["id"])).exists()


def test_a_hand_made_course_gets_its_title_card_as_thumbnail(admin, api_as) -> None:
    body = api_as(admin).post("/courses", NEW_COURSE).json()

    course = Course.objects.get(pk=body["id"])
    assert body["thumbnail_url"].endswith(".png")
    with course.thumbnail.open("rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_category_may_be_given_by_id(admin, api_as) -> None:
    from momentum.catalog.models import Category

    category = Category.objects.get(slug="languages")
    response = api_as(admin).post("/courses", {**NEW_COURSE, "category": category.pk})
    assert response.json()["category"]["slug"] == "languages"


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        ({"duration_days": 10}, "duration_days", "literal_error"),
        ({"title": ""}, "title", "string_too_short"),
        ({"title": "x" * 501}, "title", "string_too_long"),
        ({"category": "knitting"}, "category", "exists"),
        ({"is_premium": True, "price_cents": 0}, "price_cents", "premium_needs_price"),
        ({"price_cents": -1}, "price_cents", "greater_than_equal"),
    ],
)
def test_invalid_course_input_names_the_field_and_the_rule(admin, api_as, change, field, rule) -> None:
    response = api_as(admin).post("/courses", {**NEW_COURSE, **change})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert {"field": field, "rule": rule} in [
        {"field": e["field"], "rule": e["rule"]} for e in response.json()["errors"]
    ]
    assert not Course.objects.exists()


def test_the_same_idempotency_key_creates_the_course_once(admin, api_as) -> None:
    client = api_as(admin)
    first = client.post("/courses", NEW_COURSE, HTTP_IDEMPOTENCY_KEY="create-sketching")
    again = client.post("/courses", NEW_COURSE, HTTP_IDEMPOTENCY_KEY="create-sketching")

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Course.objects.count() == 1


@pytest.mark.parametrize("who", ["learner", "premium_learner"])
def test_only_admins_and_instructors_may_author(request, api_as, who) -> None:
    response = api_as(request.getfixturevalue(who)).post("/courses", NEW_COURSE)
    assert response.status_code == 403
    assert response.json()["code"] == "instructor_required"


def test_anonymous_callers_are_asked_to_sign_in(api, db) -> None:
    assert api.post("/courses", NEW_COURSE).status_code == 401


def test_an_admin_changes_a_course_and_the_audit_lists_what_changed(admin, api_as) -> None:
    course = draft_course()

    response = api_as(admin).patch(f"/courses/{course.slug}", {"title": "Sketching, daily", "level": "ADVANCED"})

    assert response.status_code == 200
    assert response.json()["title"] == "Sketching, daily"
    assert response.json()["level"] == "ADVANCED"
    audit = AuditLog.objects.get(action="course.updated")
    assert audit.metadata["changed"]["title"] == ["Seven days of sketching", "Sketching, daily"]


def test_a_course_cannot_shrink_below_its_lessons(admin, api_as) -> None:
    course = draft_course(days=14, written=[1, 9, 12])

    response = api_as(admin).patch(f"/courses/{course.pk}", {"duration_days": 7})

    assert response.status_code == 409
    assert response.json()["code"] == "lessons_beyond_duration"
    assert response.json()["days"] == [9, 12]


def test_a_published_course_cannot_grow_days_without_lessons(admin, api_as) -> None:
    course = published_course(days=7)

    response = api_as(admin).patch(f"/courses/{course.pk}", {"duration_days": 14})

    assert response.status_code == 409
    assert response.json()["code"] == "incomplete_course"
    assert response.json()["missing_days"] == list(range(8, 15))


def test_publishing_with_a_missing_day_is_refused_with_the_missing_days(admin, api_as) -> None:
    course = draft_course(days=7, written=[1, 2, 3, 5, 6, 7])

    response = api_as(admin).post(f"/courses/{course.slug}/publish")

    assert response.status_code == 409
    assert response.json()["code"] == "incomplete_course"
    assert response.json()["missing_days"] == [4]
    assert "day 4 is missing" in response.json()["detail"]
    course.refresh_from_db()
    assert course.status == Status.DRAFT


def test_a_complete_course_is_published(admin, api_as) -> None:
    course = draft_course(days=7, written=7)

    response = api_as(admin).post(f"/courses/{course.slug}/publish")

    assert response.status_code == 200
    assert response.json()["status"] == "PUBLISHED"
    assert response.json()["published_at"] is not None


def test_archiving_takes_a_course_out_and_publishing_brings_it_back(admin, api_as) -> None:
    course = published_course()
    client = api_as(admin)

    archived = client.post(f"/courses/{course.pk}/archive")
    assert archived.json()["status"] == "ARCHIVED"
    assert archived.json()["archived_at"] is not None

    again = client.post(f"/courses/{course.pk}/publish")
    assert again.json()["status"] == "PUBLISHED"
    assert again.json()["archived_at"] is None


def test_deleting_a_draft_removes_it(admin, api_as) -> None:
    course = draft_course(written=3)

    response = api_as(admin).delete(f"/courses/{course.slug}")

    assert response.status_code == 204
    assert not Course.objects.filter(pk=course.pk).exists()
    assert AuditLog.objects.filter(action="course.deleted", resource_id=str(course.pk)).exists()


def test_deleting_a_published_course_archives_it(admin, api_as) -> None:
    course = published_course()

    response = api_as(admin).delete(f"/courses/{course.slug}")

    assert response.status_code == 204
    course.refresh_from_db()
    assert course.status == Status.ARCHIVED


def test_an_unknown_course_is_404(admin, api_as) -> None:
    assert api_as(admin).patch("/courses/no-such-course", {"title": "x"}).status_code == 404
