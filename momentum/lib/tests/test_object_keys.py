"""An id in an address is ASCII digits within a 64-bit column; anything else is a slug."""

from __future__ import annotations

import pytest

from momentum.lib.object_keys import MAX_ID, id_or_slug, parse_id


@pytest.mark.parametrize(("key", "expected"), [("42", 42), ("0042", 42), (7, 7), (str(MAX_ID), MAX_ID)])
def test_ascii_digits_within_a_64_bit_column_are_an_id(key: str | int, expected: int) -> None:
    assert parse_id(key) == expected


@pytest.mark.parametrize("key", ["³", "1²", "١٢", "๓", "", " 1", "1 ", "-1", "+1", "1_000", str(MAX_ID + 1), "9" * 40])
def test_anything_else_is_not_an_id(key: str) -> None:
    assert parse_id(key) is None


def test_a_key_that_is_not_an_id_is_looked_up_as_a_slug() -> None:
    assert id_or_slug("³") == "³"
    assert id_or_slug("spanish-in-7-days") == "spanish-in-7-days"
    assert id_or_slug("12") == 12
