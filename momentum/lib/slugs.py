"""URL slugs that are unique within a queryset."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.text import slugify


def unique_slug(text: str, queryset: QuerySet[Any], *, max_length: int = 80, exclude_pk: Any = None) -> str:
    base = slugify(text)[:max_length].strip("-") or "item"
    taken = queryset.exclude(pk=exclude_pk) if exclude_pk is not None else queryset
    candidate, n = base, 2
    while taken.filter(slug=candidate).exists():
        suffix = f"-{n}"
        candidate = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return candidate
