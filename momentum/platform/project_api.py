"""The project's API object, for the apps that need it while answering (not while importing).

``momentum/api.py`` builds the one NinjaAPI and mounts every app's router, so an app importing it
would import itself in a circle (and import-linter forbids apps the project package). The API
registers itself here instead; asked before that, this loads the URLconf (``ROOT_URLCONF``), which
mounts it.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import get_resolver
from ninja import NinjaAPI

_registered: list[NinjaAPI] = []


def register(api: NinjaAPI) -> None:
    """Make ``api`` the project's API object (momentum/api.py calls this once, as it is built)."""
    _registered[:] = [api]


def project_api() -> NinjaAPI:
    if not _registered:
        get_resolver().url_patterns  # noqa: B018  (importing the URLconf builds and registers the API)
    if not _registered:
        raise LookupError("no API object registered: the URLconf does not mount momentum/api.py")
    return _registered[0]


def render(request: HttpRequest, data: Any, *, status: int = 200) -> HttpResponse:
    """``data`` as the API answers it (its renderer and content type), for views that build their own response."""
    return project_api().create_response(request, data, status=status)


def openapi_schema() -> dict[str, Any]:
    """The OpenAPI document of the whole API, paths under /api as they are served."""
    schema: dict[str, Any] = project_api().get_openapi_schema(path_prefix="/api")
    return schema


def openapi_document() -> str:
    """``openapi_schema()`` as the committed docs/openapi.json spells it (sorted keys, two-space indent)."""
    return json.dumps(openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
