"""Every page and every API operation declares who may call it (momentum/accounts/policy.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from momentum.accounts.policy import THIRD_PARTY_PAGES, Access, declared_access
from momentum.api import api

# Static and media files are not pages.
NOT_PAGES = ("^media/", "^static/")


def url_patterns(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def page_access(route: str, pattern: URLPattern) -> Access | None:
    declared = getattr(pattern.callback, "momentum_access", None)
    if declared is not None:
        return Access(declared)
    return THIRD_PARTY_PAGES.get(pattern.name or "") or THIRD_PARTY_PAGES.get(route)


def is_api_operation(route: str, pattern: URLPattern) -> bool:
    """API operations are checked one by one by the test below, not as URL patterns."""
    return route.startswith("api/") and pattern.name not in ("openapi-json", "openapi-view", "api-root")


PAGES = [
    (route, pattern)
    for route, pattern in url_patterns()
    if not route.startswith(NOT_PAGES) and not is_api_operation(route, pattern)
]


@pytest.mark.parametrize(("route", "pattern"), PAGES, ids=[route or "/" for route, _ in PAGES])
def test_every_page_declares_its_access(route: str, pattern: URLPattern) -> None:
    assert page_access(route, pattern) is not None, f"/{route} ({pattern.name}) does not declare who may open it"


def api_operations() -> Iterator[tuple[str, str, Any]]:
    for router in api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, f"{router.prefix}{path}", operation


def test_every_api_operation_declares_its_access() -> None:
    undeclared = [
        f"{method} {path}" for method, path, op in api_operations() if declared_access(op.auth_callbacks) is None
    ]
    assert not undeclared, "Pass auth=api_access(Access.X) on:\n" + "\n".join(undeclared)
