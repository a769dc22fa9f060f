"""Full-text search (catalog/search.py) on SQLite FTS5 and PostgreSQL: relevance, title first, kept current."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from momentum.catalog.actions import do_create_course
from momentum.catalog.models import Category, Course, Status
from momentum.catalog.search import did_you_mean, search, terms
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def found(api: Any, q: str, **params: Any) -> list[str]:
    response = api.get("/courses", {"q": q, **params})
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_a_title_word_ranks_its_course_first(api: Any) -> None:
    # given two courses that mention watercolour many times in their descriptions, and one in its title
    make_course("Drawing people", description="Watercolour, watercolour and more watercolour: washes, watercolour.")
    make_course("Colour theory", description="Mixing watercolour paints; watercolour glazing; watercolour again.")
    make_course("Watercolour basics", description="Seven short days of painting.")
    # when a learner searches for the word
    results = found(api, "watercolour")
    # then the course with the word in its title comes first, and the others follow
    assert results[0] == "Watercolour basics"
    assert set(results) == {"Watercolour basics", "Drawing people", "Colour theory"}


def test_several_words_find_courses_having_any_of_them_most_words_first(api: Any) -> None:
    make_course("Python for data", description="Tables and charts.")
    make_course("Data journalism", description="Stories with python scripts.")
    make_course("Python games", description="Little games.")
    make_course("Knitting", description="Scarves.")
    assert found(api, "python data") == ["Python for data", "Data journalism", "Python games"]


def test_learn_spanish_finds_the_spanish_course(api: Any) -> None:
    make_course("Spanish for Travellers", category="languages", description="Greetings, prices and directions.")
    make_course("Knots for sailors", description="Six knots.")
    assert found(api, "learn spanish") == ["Spanish for Travellers"]


@pytest.mark.parametrize(
    ("typed", "title"), [("bekeeping", "Beekeeping for Beginners"), ("pyhton", "Python in 7 Days")]
)
def test_a_misspelt_word_still_finds_the_course(api: Any, typed: str, title: str) -> None:
    make_course("Beekeeping for Beginners", category="business", description="Hives, bees and honey.")
    make_course("Python in 7 Days", description="Variables, loops and files.")
    make_course("Photography walks", description="Seeing light.")
    assert found(api, typed) == [title]


def test_a_misspelt_word_among_right_ones_is_corrected_and_the_rest_kept(api: Any) -> None:
    make_course("Python in 7 Days", description="Variables, loops and files.")
    make_course("Data journalism", description="Stories with charts.")
    assert set(found(api, "pyhton journalism")) == {"Data journalism", "Python in 7 Days"}
    assert did_you_mean(Course.objects.all(), "pyhton journalism") == "python journalism"


def test_did_you_mean_is_offered_only_for_a_correction() -> None:
    make_course("Beekeeping for Beginners", category="business")
    courses = Course.objects.all()
    assert did_you_mean(courses, "bekeeping") == "beekeeping"
    assert did_you_mean(courses, "beekeeping") == ""
    assert did_you_mean(courses, "zzzzqqq") == ""


def test_a_correction_comes_only_from_courses_the_searcher_may_see(api: Any) -> None:
    make_course("Beekeeping for Beginners", category="business", status=Status.DRAFT)
    assert found(api, "bekeeping") == []


def test_a_word_far_from_every_title_finds_nothing(api: Any) -> None:
    make_course("Python in 7 Days")
    assert found(api, "zebra") == []


def test_words_are_stemmed_and_may_be_cut_short(api: Any) -> None:
    make_course("Running for beginners", description="From the sofa to five kilometres.")
    make_course("Photography walks", description="Seeing light.")
    assert found(api, "run") == ["Running for beginners"]
    assert found(api, "photo") == ["Photography walks"]
    assert found(api, "kilometre") == ["Running for beginners"]


def test_search_follows_every_write_of_a_course(api: Any) -> None:
    course = make_course("Gardening on a balcony")
    assert found(api, "balcony") == ["Gardening on a balcony"]
    # an edit through the ORM
    course.title = "Herbs on a windowsill"
    course.save()
    assert found(api, "balcony") == []
    assert found(api, "windowsill") == ["Herbs on a windowsill"]
    # a bulk update in raw SQL, as a restore or a script would do
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_course SET description = 'Basil and chives' WHERE id = %s", [course.pk])
    assert found(api, "chives") == ["Herbs on a windowsill"]
    # a deletion
    Course.objects.filter(pk=course.pk).delete()
    assert found(api, "windowsill") == []


def test_a_new_course_is_searchable_at_once(api: Any) -> None:
    course = do_create_course(title="Knots for sailors", category=Category.objects.get(slug="technology"),
                              duration_days=7)  # fmt: skip
    assert search(Course.objects.all(), "knots").get() == course


def test_search_never_shows_hidden_courses(api: Any) -> None:
    make_course("Astronomy tonight", status=Status.DRAFT)
    make_course("Astronomy archive", status=Status.ARCHIVED)
    make_course("Astronomy for families")
    assert found(api, "astronomy") == ["Astronomy for families"]


def test_filters_and_sorts_apply_to_search_results(api: Any) -> None:
    make_course("Spanish for travel", category="languages")
    make_course("Travel writing", category="creative-arts")
    assert found(api, "travel", category="languages") == ["Spanish for travel"]
    assert found(api, "travel", sort="title") == ["Spanish for travel", "Travel writing"]


@pytest.mark.parametrize(
    "query", ['"', "NEAR(a b)", "title:x", "a OR b", "*", "'; DROP TABLE catalog_course; --", "(((", "x AND", "-", "^"]
)
def test_query_syntax_in_the_input_is_only_text(api: Any, query: str) -> None:
    make_course("Safe course")
    response = api.get("/courses", {"q": query})
    assert response.status_code == 200
    assert Course.objects.filter(title="Safe course").exists()


def test_stopwords_are_dropped_unless_nothing_else_is_left() -> None:
    assert terms("The art of the deal") == ["art", "deal"]
    assert terms("the") == ["the"]
    assert terms("  ") == []
