"""In Chromium, the catalogue page: several words, a misspelt word and its "did you mean", prices on the
cards, the free/paid filter, and a level filter that offers only the levels there are."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import make_course

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue() -> None:
    make_course("Spanish for Travellers", category="languages", description="Greetings, prices and directions.")
    make_course("Beekeeping for Beginners", category="business", description="Hives, bees and honey.",
                is_premium=True, price_cents=2900)  # fmt: skip
    make_course("Python in 7 Days", level="INTERMEDIATE", description="Variables, loops and files.")


def card_titles(page: Any) -> list[str]:
    return [title.strip() for title in page.locator("#results .course-card h3").all_inner_texts()]


def test_several_words_find_courses_having_any_of_them(page: Any, catalogue: None, screenshot: Any) -> None:
    page.goto("/courses/?q=learn+spanish")
    assert card_titles(page) == ["Spanish for Travellers"]
    screenshot(page, "learn-spanish")


def test_a_misspelt_word_finds_the_course_and_the_page_offers_the_right_spelling(
    page: Any, catalogue: None, screenshot: Any
) -> None:
    page.goto("/courses/?q=bekeeping")
    assert card_titles(page) == ["Beekeeping for Beginners"]
    suggestion = page.locator(".did-you-mean a")
    assert suggestion.inner_text() == "beekeeping"
    screenshot(page, "did-you-mean")
    # following the suggestion searches the right spelling, which needs no correction
    suggestion.click()
    page.wait_for_url("**/courses/?q=beekeeping")
    page.locator(".result-count", has_text="for “beekeeping”").wait_for()
    assert page.locator(".did-you-mean").count() == 0
    assert card_titles(page) == ["Beekeeping for Beginners"]


def test_cards_show_the_price_or_free(page: Any, catalogue: None) -> None:
    page.goto("/courses/")
    beekeeping = page.locator(".course-card", has_text="Beekeeping for Beginners")
    assert "$29.00" in beekeeping.locator(".price").inner_text()
    assert page.locator(".course-card", has_text="Spanish for Travellers").locator(".price").inner_text() == "Free"


def test_the_price_filter_shows_free_or_paid_courses(page: Any, catalogue: None, screenshot: Any) -> None:
    page.goto("/courses/")
    page.get_by_label("Price").select_option("paid")
    page.wait_for_url("**price=paid*")
    page.locator("#results .result-count", has_text="1 course").wait_for()
    assert card_titles(page) == ["Beekeeping for Beginners"]
    page.get_by_label("Price").select_option("free")
    page.wait_for_url("**price=free*")
    page.locator("#results .result-count", has_text="2 courses").wait_for()
    assert sorted(card_titles(page)) == ["Python in 7 Days", "Spanish for Travellers"]
    screenshot(page, "free-courses")


def test_the_level_filter_offers_only_levels_that_published_courses_have(page: Any, catalogue: None) -> None:
    make_course("Advanced draft", level="ADVANCED", status="DRAFT")
    page.goto("/courses/")
    options = page.get_by_label("Level").locator("option").all_inner_texts()
    assert options == ["Any level", "Beginner", "Intermediate"]
