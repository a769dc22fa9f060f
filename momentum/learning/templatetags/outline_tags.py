"""The lesson page's outline, its days rendered once per course and language and put together
per learner.

A day's entry differs between learners only by three marks: done, the day on screen, not open
yet. Each day other than the one on screen is done, not open yet, or open: those three variants
are rendered once, kept in the fragments region (in memory) under a digest of what the entries
show (so that one version of the course's days never serves another), and each page joins the
variants its learner needs; the day on screen (and a day both done and locked, which a changed
schedule can make) is rendered for the page. No template loop over 7 to 21 days on every lesson
page, and a course's pieces weigh about a kilobyte a day.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from momentum.catalog.views import OutlineDay
from momentum.platform.caching import FRAGMENTS, content_digest

register = template.Library()
ITEM = "learning/partials/outline_item.html"

# lesson id -> the day's entry (not on screen) by (done, locked)
Pieces = dict[int, dict[tuple[bool, bool], str]]
VARIANTS = ((True, False), (False, True), (False, False))


@register.simple_tag
def outline_items(outline: list[OutlineDay], lesson: Any) -> SafeString:
    """{% outline_items outline lesson %}: the outline's days, ``lesson`` marked as the current one."""
    made_of = content_digest((item.lesson.pk, item.number, item.label, item.url) for item in outline)
    pieces: Pieces = FRAGMENTS.get_or_build(f"outline|{get_language()}|{made_of}", lambda: _pieces(outline))
    current = getattr(lesson, "pk", None)
    shown = []
    for item in outline:
        on_screen = item.lesson.pk == current
        piece = None if on_screen else pieces[item.lesson.pk].get((item.done, item.locked))
        shown.append(piece if piece is not None else _render(item, current=on_screen))
    return mark_safe("".join(shown))  # noqa: S308  (templates' output)


def _render(item: OutlineDay, *, current: bool) -> str:
    return str(render_to_string(ITEM, {"item": item, "current": current}))


def _pieces(outline: list[OutlineDay]) -> Pieces:
    return {
        item.lesson.pk: {
            (done, locked): _render(replace(item, done=done, locked=locked), current=False) for done, locked in VARIANTS
        }
        for item in outline
    }
