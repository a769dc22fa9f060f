"""The course page's outline, its days joined from pieces rendered once per course and language.

An enrolled learner's day differs from another's only by being done; those two variants are kept
as pieces (``platform/pieces.py``). A reader not enrolled (an admin, a signed-in visitor: the
anonymous page is cached whole) sees links to the free previews only, and their days are rendered
for the page.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django import template
from django.utils.safestring import SafeString

from momentum.catalog.views import OutlineDay
from momentum.platform import pieces

register = template.Library()
KEPT = (("enrolled", True), ("enrolled", False))


@register.simple_tag
def course_days(outline: list[OutlineDay], enrollment: Any, user: Any) -> SafeString:
    """{% course_days outline enrollment user %}: the days of the course page's outline."""
    admin = bool(getattr(user, "is_admin", False))

    def variant_of(item: OutlineDay) -> tuple[Any, ...]:
        if enrollment:
            return ("enrolled", item.done)
        return ("visitor", item.done, admin or item.lesson.is_preview, item.lesson.is_preview)

    def context(item: OutlineDay, variant: tuple[Any, ...]) -> dict[str, Any]:
        if variant[0] == "enrolled":
            return {"item": replace(item, done=variant[1]), "linked": True, "preview_tag": False}
        return {"item": replace(item, done=variant[1]), "linked": variant[2], "preview_tag": variant[3]}

    return pieces.joined(
        "course-days",
        outline,
        template="catalog/partials/course_day.html",
        shows=_shows,
        variant_of=variant_of,
        kept=KEPT,
        context=context,
    )


def _shows(item: OutlineDay) -> tuple[Any, ...]:
    lesson = item.lesson
    return (lesson.pk, item.number, item.label, item.url, item.minutes, bool(lesson.has_video), lesson.is_preview)
