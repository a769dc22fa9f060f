"""Object keys in addresses and filters: an integer id, or else a slug (or an email address).

``str.isdigit()`` is the wrong test for "is this an id": it is true for "³" and "²" (which
``int()`` refuses) and for "١٢" (Arabic-Indic digits, which ``int()`` accepts), and a run of
thirty ASCII digits is a number no integer column holds (SQLite raises OverflowError). Either
way a lookup crashed as a 500 on a public address. An id here is ASCII digits only, within the
range of a 64-bit column; anything else is not an id, so it is looked up as a slug and not found.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1  # the largest value of a 64-bit integer column (BigAutoField)
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value: str | int) -> int | None:
    """The id spelt by ``value`` (ASCII digits, at most ``MAX_ID``), or None when it spells no id."""
    if isinstance(value, int):
        return value if 0 <= value <= MAX_ID else None
    if not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def id_or_slug(key: str | int) -> int | str:
    """``key`` as an id when it spells one, else as the text to look up by slug."""
    number = parse_id(key)
    return str(key) if number is None else number
