"""Apps reach the project's API object through the platform, where momentum/api.py registers itself."""

from __future__ import annotations

import json

from django.test import RequestFactory

from momentum.platform import project_api


def test_a_view_can_answer_exactly_as_the_api_does(rf: RequestFactory) -> None:
    response = project_api.render(rf.get("/api/v1/courses"), {"count": 0, "items": []})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content) == {"count": 0, "items": []}


def test_the_openapi_document_lists_every_path_under_api() -> None:
    paths = project_api.openapi_schema()["paths"]

    assert "/api/v1/courses" in paths
    assert all(path.startswith("/api/") for path in paths)
