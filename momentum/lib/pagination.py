"""Page-numbered lists for the API: ``?page=1&page_size=20`` → ``{items, count, page, page_size}``."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

Item = TypeVar("Item")


class PageParams(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class Page(Schema, Generic[Item]):
    items: list[Item]
    count: int
    page: int
    page_size: int


def paginate(queryset: QuerySet[Any], params: PageParams) -> dict[str, Any]:
    """One COUNT and one bounded SELECT, whatever the page size."""
    start = (params.page - 1) * params.page_size
    count = queryset.count()
    items = list(queryset[start : start + params.page_size]) if start < count else []
    return {"items": items, "count": count, "page": params.page, "page_size": params.page_size}
