"""User administration for admins: GET /admin/users, PATCH /admin/users/{id}."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Schema
from pydantic import Field

from momentum.accounts import admin_actions, admin_queries
from momentum.accounts.api import router
from momentum.accounts.models import Role, User
from momentum.accounts.policy import Access, api_access, caller
from momentum.lib.input_types import JsonBool
from momentum.lib.problems import Invalid, NotFound
from momentum.platform.api_problems import problems

ADMIN = api_access(Access.ADMIN)
MAX_PAGE_SIZE = 100


class AdminUserOut(Schema):
    id: int
    email: str
    display_name: str
    role: Role
    email_verified: bool
    is_active: bool
    created_at: datetime
    last_seen_at: datetime | None


class AdminUserPage(Schema):
    items: list[AdminUserOut]
    count: int
    page: int
    page_size: int


class UserFilters(Schema):
    q: str = Field("", max_length=200, description="part of an email address or display name")
    role: Role | None = None
    is_active: bool | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class UserPatch(Schema):
    role: Role | None = None
    is_active: JsonBool | None = None


@router.get("/admin/users", response=AdminUserPage, auth=ADMIN, tags=["admin"])
def list_users(request: HttpRequest, filters: Query[UserFilters]) -> dict[str, Any]:
    """Accounts, newest first, filtered by `q` (email or name), `role` and `is_active`."""
    found = admin_queries.users(q=filters.q, role=filters.role or "", active=filters.is_active)
    start = (filters.page - 1) * filters.page_size
    return {
        "items": list(found[start : start + filters.page_size]),
        "count": found.count(),
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.patch(
    "/admin/users/{user_id}", response=AdminUserOut, auth=ADMIN, tags=["admin"],
    openapi_extra=problems({409: "`last_admin`: no active admin would be left; `account_erased`"}),
)  # fmt: skip
def update_user(request: HttpRequest, user_id: int, payload: UserPatch) -> User:
    """Change a role and/or turn an account off or on; each change is audited. 409 `last_admin`
    when the change would leave no active admin."""
    user = admin_queries.user_or_none(user_id)
    if user is None:
        raise NotFound(_("No such user."))
    changes = payload.model_dump(exclude_unset=True)
    for name in ("role", "is_active"):
        if name in changes and changes[name] is None:
            raise Invalid(name, "must not be null", rule="not_null")
    with transaction.atomic():  # both changes or neither
        if "role" in changes:
            user = admin_actions.do_change_user_role(user, changes["role"], actor=caller(request), request=request)
        if "is_active" in changes:
            user = admin_actions.do_set_user_active(user, changes["is_active"], actor=caller(request), request=request)
    return user
