"""Courses have a language (issue 18): set by their authors, filtered in the catalogue, and a
reader's own language first in every list (an SQL CASE, so pages and order agree)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from momentum.catalog.models import Course
from momentum.catalog.queries import reader_language
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def slugs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


def _in(language: str, course: Course) -> Course:
    Course.objects.filter(pk=course.pk).update(language=language)
    course.refresh_from_db()
    return course


@pytest.fixture
def courses() -> dict[str, Course]:
    """Two English, two Spanish and one Arabic course, created one day apart (the newest last)."""
    now = timezone.now()

    def made(title: str, language: str, age: int) -> Course:
        return _in(language, make_course(title, created_at=now - timedelta(days=age)))

    return {
        "python": made("Python basics", "en", 5),
        "cocina": made("Cocina de mercado", "es", 4),
        "sales": made("Selling without fear", "en", 3),
        "arabic": made("الخط العربي", "ar", 2),
        "ahorro": made("Ahorro personal", "es", 1),
    }


def test_the_list_says_each_courses_language(api: Any, courses: dict[str, Course]) -> None:
    items = {item["slug"]: item["language"] for item in api.get("/courses").json()["items"]}

    assert items == {course.slug: course.language for course in courses.values()}


def test_the_language_filter_keeps_the_courses_written_in_it(api: Any, courses: dict[str, Course]) -> None:
    assert slugs(api.get("/courses", {"language": "es"})) == [courses["ahorro"].slug, courses["cocina"].slug]
    assert slugs(api.get("/courses", {"language": "AR"})) == [courses["arabic"].slug]
    assert slugs(api.get("/courses", {"language": "fr"})) == []


def test_a_language_filter_that_is_not_a_language_code_is_a_422(api: Any) -> None:
    response = api.get("/courses", {"language": "spanish!"})

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_spanish_reader_sees_the_spanish_courses_first_then_the_rest_newest_first(
    api: Any, courses: dict[str, Course]
) -> None:
    listed = slugs(api.get("/courses", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5"))

    assert listed == [courses[key].slug for key in ("ahorro", "cocina", "arabic", "sales", "python")]


def test_own_language_first_keeps_the_chosen_sort_within_each_group(api: Any, courses: dict[str, Course]) -> None:
    arabic = slugs(api.get("/courses", {"sort": "title"}, HTTP_ACCEPT_LANGUAGE="ar"))
    english = slugs(api.get("/courses", {"sort": "title"}, HTTP_ACCEPT_LANGUAGE="en"))

    assert arabic == [courses[key].slug for key in ("arabic", "ahorro", "cocina", "python", "sales")]
    assert english == [courses[key].slug for key in ("python", "sales", "ahorro", "cocina", "arabic")]


def test_a_visitor_without_a_language_sees_the_sites_language_first(api: Any, courses: dict[str, Course]) -> None:
    listed = slugs(api.get("/courses"))

    assert listed[:2] == [courses["sales"].slug, courses["python"].slug]


def test_pages_follow_the_same_order(api: Any, courses: dict[str, Course]) -> None:
    spanish = {"HTTP_ACCEPT_LANGUAGE": "es"}
    first = slugs(api.get("/courses", {"page_size": 2}, **spanish))
    second = slugs(api.get("/courses", {"page_size": 2, "page": 2}, **spanish))

    assert first + second == [courses[key].slug for key in ("ahorro", "cocina", "arabic", "sales")]


def test_a_search_shows_matches_in_the_readers_language_first(api: Any) -> None:
    english = make_course("Budget planning for families")
    spanish = _in("es", make_course("Budget: planificar el ahorro familiar"))

    listed = slugs(api.get("/courses", {"q": "budget"}, HTTP_ACCEPT_LANGUAGE="es"))

    assert listed == [spanish.slug, english.slug]


def test_a_signed_in_readers_profile_language_comes_before_accept_language() -> None:
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="es")
    request.user = SimpleNamespace(is_authenticated=True, language="ar")  # type: ignore[assignment]
    anonymous = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="es")
    anonymous.user = SimpleNamespace(is_authenticated=False)  # type: ignore[assignment]

    assert reader_language(request) == "ar"
    assert reader_language(anonymous) == "es"


def test_the_catalogue_page_filters_by_language(client: Any, courses: dict[str, Course]) -> None:
    page = client.get("/courses/", {"language": "es"}).content.decode()

    assert courses["cocina"].title in page
    assert courses["python"].title not in page
    assert 'name="language"' in page


# --- Authoring ----------------------------------------------------------------------------------

NEW_COURSE = {"title": "Huerto urbano", "category": "health-wellness", "duration_days": 7}


def test_an_admin_creates_a_course_in_a_language_and_changes_it(api_as: Any, admin: Any) -> None:
    client = api_as(admin)

    created = client.post("/courses", {**NEW_COURSE, "language": "ES"})
    changed = client.patch(f"/courses/{created.json()['id']}", {"language": "ar"})

    assert created.status_code == 201, created.content
    assert created.json()["language"] == "es"
    assert changed.status_code == 200, changed.content
    assert Course.objects.get(pk=created.json()["id"]).language == "ar"


def test_a_course_is_english_unless_its_author_says_otherwise(api_as: Any, admin: Any) -> None:
    assert api_as(admin).post("/courses", NEW_COURSE).json()["language"] == "en"


@pytest.mark.parametrize("language", ["zz", "en-US", "español", "e"])
def test_a_course_language_that_is_not_a_language_code_is_a_422_naming_the_field(
    api_as: Any, admin: Any, language: str
) -> None:
    response = api_as(admin).post("/courses", {**NEW_COURSE, "language": language})

    assert response.status_code == 422, response.content
    assert "language" in response.content.decode()
    assert not Course.objects.filter(title=NEW_COURSE["title"]).exists()


@pytest.mark.parametrize("language", ["EN", "english", "e", "en-us", ""])
def test_the_database_refuses_a_language_that_is_not_a_code(language: str) -> None:
    course = make_course("Any course")

    # PostgreSQL refuses an over-long value before the CHECK (DataError); SQLite at the CHECK.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_course SET language = %s WHERE id = %s", [language, course.pk])
