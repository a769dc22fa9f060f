"""The lesson page's outline, its days joined from pieces rendered once per course and language.

A day's entry differs between learners only by three marks: done, the day on screen, not open
yet. A day not on screen is done, not open yet, or open: those three variants are kept as pieces
(``platform/pieces.py``); the day on screen (and a day both done and locked, which a changed
schedule can make) is rendered for the page. No template loop over 7 to 21 days on every lesson
page, and a course's pieces weigh about a kilobyte a day.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django import template
from django.utils.safestring import SafeString

from momentum.catalog.views import OutlineDay
from momentum.platform import pieces

register = template.Library()
KEPT = ((True, False, False), (False, True, False), (False, False, False))  # (done, locked, on screen)


@register.simple_tag
def outline_items(outline: list[OutlineDay], lesson: Any) -> SafeString:
    """{% outline_items outline lesson %}: the outline's days, ``lesson`` marked as the current one."""
    current = getattr(lesson, "pk", None)
    return pieces.joined(
        "outline",
        outline,
        template="learning/partials/outline_item.html",
        shows=lambda item: (item.lesson.pk, item.number, item.label, item.url),
        variant_of=lambda item: (item.done, item.locked, item.lesson.pk == current),
        kept=KEPT,
        context=lambda item, variant: {
            "item": replace(item, done=variant[0], locked=variant[1]),
            "current": variant[2],
        },
    )
