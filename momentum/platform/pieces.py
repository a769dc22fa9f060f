"""Lists rendered as pieces: each item rendered once per variant and language, joined per request.

A list a page draws for every reader alike, up to a few marks per reader (a day done, the day on
screen), need not run its template loop on every request: each item is rendered once in each
variant the readers commonly need, kept in the ``fragments`` cache region under a digest of what
the items show (so pieces of one version of the list never serve another), and a request joins
the variants it needs. A variant not kept is rendered for the page. ADR 0024.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from momentum.platform.caching import FRAGMENTS, content_digest

T = TypeVar("T")


def joined(
    name: str,
    items: Sequence[T],
    *,
    template: str,
    shows: Callable[[T], Any],
    variant_of: Callable[[T], Hashable],
    kept: Iterable[Hashable],
    context: Callable[[T, Any], dict[str, Any]],
) -> SafeString:
    """``items`` rendered with ``template``, each in the variant ``variant_of(item)`` names.

    ``shows(item)``: what the item's piece is made of, whatever the variant (its texts, ids,
    links); ``kept``: the variants kept as pieces; ``context(item, variant)``: the template's
    context for an item in a variant."""
    kept = tuple(kept)
    key = f"{name}|{get_language()}|{content_digest(shows(item) for item in items)}"

    def build() -> list[dict[Hashable, str]]:
        return [{variant: _render(template, context(item, variant)) for variant in kept} for item in items]

    pieces: list[dict[Hashable, str]] = FRAGMENTS.get_or_build(key, build)
    shown = []
    for item, rendered in zip(items, pieces, strict=True):
        variant = variant_of(item)
        piece = rendered.get(variant)
        shown.append(piece if piece is not None else _render(template, context(item, variant)))
    return mark_safe("".join(shown))  # noqa: S308  (templates' output)


def _render(template: str, context: dict[str, Any]) -> str:
    return str(render_to_string(template, context))
