"""A generated lesson's text does not repeat its title: the lesson page already shows it."""

from __future__ import annotations

import pytest

from momentum.generation.providers.base import without_title_heading

BODY = "Today we look closely at one idea.\n\n## Exercise\n\nTry it."


@pytest.mark.parametrize(
    "markdown",
    [
        f"# Knife skills\n\n{BODY}",
        f"\n\n## Day 2: Knife skills ##\n{BODY}",
        f"# day 2 \u2013 knife skills!\n\n{BODY}",
        f"Knife skills\n============\n\n{BODY}",
    ],
)
def test_a_leading_heading_that_repeats_the_title_is_removed(markdown: str) -> None:
    assert without_title_heading(markdown, "Day 2: Knife skills") == BODY


@pytest.mark.parametrize(
    "markdown",
    [
        f"# Holding the knife\n\n{BODY}",  # a heading of its own
        f"{BODY}\n\n# Knife skills\n",  # the title later on is left alone
        f"Knife skills are learnt slowly.\n\n{BODY}",  # a sentence, not a heading
    ],
)
def test_other_text_is_kept_as_it_is(markdown: str) -> None:
    assert without_title_heading(markdown, "Knife skills") == markdown
