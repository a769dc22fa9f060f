"""In Chromium: switching to Arabic with the keyboard turns the page right to left and mirrors its layout.

The header's brand and main menu swap sides, and the switcher keeps the choice for the next page.
Screenshots of both directions go to var/test-artifacts/<test name>/ (ignored by git).
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOXES = """() => {
  const box = (selector) => {
    const r = document.querySelector(selector).getBoundingClientRect();
    return {left: r.left, right: r.right};
  };
  return {dir: document.documentElement.dir, lang: document.documentElement.lang,
          brand: box('.site-header .brand'), nav: box('#site-nav'), heading: box('main h1')};
}"""


def test_arabic_mirrors_the_page_and_the_choice_is_kept(page: Any, screenshot: Any) -> None:
    page.goto("/terms/")
    ltr = page.evaluate(BOXES)
    screenshot(page, "terms-en")

    # when: the switcher is used with the keyboard alone
    page.focus("#language-switcher-select")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # English, Español, العربية: the third
    chosen = page.evaluate("document.querySelector('#language-switcher-select').value")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Change language"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    rtl = page.evaluate(BOXES)
    screenshot(page, "terms-ar")

    assert chosen == "ar"
    assert (ltr["dir"], ltr["lang"]) == ("ltr", "en")
    assert (rtl["dir"], rtl["lang"]) == ("rtl", "ar")
    assert ltr["brand"]["left"] < ltr["nav"]["left"]  # English: brand at the left, menu at the right
    assert rtl["brand"]["right"] > rtl["nav"]["right"]  # Arabic: brand at the right, menu at the left
    width = page.viewport_size["width"]
    assert abs((width - rtl["heading"]["right"]) - ltr["heading"]["left"]) < 2  # the heading's start edge mirrors
    assert page.locator("main h1").inner_text() == "شروط الاستخدام"

    page.goto("/privacy/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.js_errors == []
