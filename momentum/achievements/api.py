"""The achievements app's API operations (mounted under /api/v1 by momentum/api.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from momentum.accounts.policy import Access, api_access
from momentum.achievements import queries
from momentum.achievements.schemas import AwardOut, BadgeOut
from momentum.lib.pagination import Page, PageParams, paginate

router = Router(tags=["achievements"])


@router.get("/badges", response=Page[BadgeOut], auth=api_access(Access.PUBLIC))
def list_badges(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """Every badge there is to earn, with how to earn it."""
    return paginate(queries.badges(), paging)


@router.get("/me/badges", response=Page[AwardOut], auth=api_access(Access.AUTHENTICATED))
def my_badges(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """The caller's badges, newest first."""
    return paginate(queries.awards_of(request.user), paging)
