"""Every template works under the strict Content-Security-Policy and protects its forms against CSRF.

No inline script, no inline style, no on* handler attribute; each POST form carries the CSRF
token. (Chromium checks the rendered pages too: tests/e2e/test_stored_xss.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted([*(ROOT / "templates").rglob("*.html"), *(ROOT / "momentum").glob("*/templates/**/*.html")])
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("template", TEMPLATES, ids=name)
def test_no_inline_script_style_or_handler(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    for attributes in SCRIPT.findall(source):
        assert "src=" in attributes or 'type="application/json"' in attributes, f"inline <script> in {name(template)}"
    assert not INLINE_STYLE.search(source), f"inline style in {name(template)}"
    assert not HANDLER.search(source), f"on* handler attribute in {name(template)}"


# Forms that post to another site, where our CSRF token must not go: the LTI deep-linking answer
# (a signed JWT posted to the learning platform's return URL).
POSTS_ELSEWHERE = {"momentum/lti/templates/lti/deep_link_return.html"}


@pytest.mark.parametrize("template", TEMPLATES, ids=name)
def test_every_post_form_carries_the_csrf_token(template: Path) -> None:
    if name(template) in POSTS_ELSEWHERE:
        assert "{% csrf_token %}" not in template.read_text(encoding="utf-8")
        return
    for body in POST_FORM.findall(template.read_text(encoding="utf-8")):
        assert "{% csrf_token %}" in body, f"a POST form without {{% csrf_token %}} in {name(template)}"


def test_the_scan_sees_the_templates() -> None:
    assert len(TEMPLATES) > 20
