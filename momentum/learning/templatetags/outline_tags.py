"""The lesson page's outline, its days rendered once per course and language and put together
per learner.

A day's entry differs between learners only by three marks: done, the day on screen, not open
yet. Each day is rendered in its eight variants once, kept in the fragments region (in memory)
under a digest of what the entries show (so that one version of the course's days never serves
another), and each page joins the variants its learner needs: no template loop over 7 to 21 days
on every lesson page.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import product
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from momentum.catalog.views import OutlineDay
from momentum.platform.caching import FRAGMENTS, content_digest

register = template.Library()
ITEM = "learning/partials/outline_item.html"

# lesson id -> the day's entry by (done, current, locked)
Pieces = dict[int, dict[tuple[bool, bool, bool], str]]


@register.simple_tag
def outline_items(outline: list[OutlineDay], lesson: Any) -> SafeString:
    """{% outline_items outline lesson %}: the outline's days, ``lesson`` marked as the current one."""
    made_of = content_digest((item.lesson.pk, item.number, item.label, item.url) for item in outline)
    pieces: Pieces = FRAGMENTS.get_or_build(f"outline|{get_language()}|{made_of}", lambda: _pieces(outline))
    current = getattr(lesson, "pk", None)
    shown = (pieces[item.lesson.pk][(item.done, item.lesson.pk == current, item.locked)] for item in outline)
    return mark_safe("".join(shown))  # noqa: S308  (templates' output)


def _pieces(outline: list[OutlineDay]) -> Pieces:
    return {
        item.lesson.pk: {
            (done, current, locked): str(
                render_to_string(ITEM, {"item": replace(item, done=done, locked=locked), "current": current})
            )
            for done, current, locked in product((False, True), repeat=3)
        }
        for item in outline
    }
