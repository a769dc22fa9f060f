"""Right-to-left pages mirror because the stylesheets use logical properties only (issue 18)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STYLESHEETS = sorted((Path(__file__).resolve().parents[2] / "static" / "css").glob("*.css"))
PHYSICAL = re.compile(
    r"(?<![\w-])(margin|padding|border)-(left|right)\s*:|(?<![\w-])(left|right)\s*:|text-align\s*:\s*(left|right)"
    r"|float\s*:\s*(left|right)|(?<![\w-])(margin|padding)\s*:\s*[^;{}]+\s[^;{}]+\s[^;{}]+\s[^;{}]+;"
)


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=lambda path: path.name)
def test_a_stylesheet_uses_no_left_or_right(stylesheet: Path) -> None:
    css = re.sub(r"/\*.*?\*/", "", stylesheet.read_text(encoding="utf-8"), flags=re.S)

    assert [match.group(0) for match in PHYSICAL.finditer(css)] == []
