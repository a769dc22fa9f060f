"""OpenAPI links: how the answer of one operation feeds the next (clients and stateful fuzzing use them).

A course created by ``POST /courses`` is read, edited, published and given lessons through its
``slug``; a lesson created under it is read, edited and deleted through its ``id``.
"""

from __future__ import annotations

from typing import Any

COURSE = "/api/v1/courses/{course}"
LESSON = "/api/v1/courses/{course}/lessons/{lesson}"
# (path, method, status) -> link name -> (target path, target method, parameters)
LINKS: dict[tuple[str, str, str], dict[str, tuple[str, str, dict[str, str]]]] = {
    ("/api/v1/courses", "post", "201"): {
        "GetCourse": (COURSE, "get", {"course": "$response.body#/slug"}),
        "UpdateCourse": (COURSE, "patch", {"course": "$response.body#/slug"}),
        "AddLesson": ("/api/v1/courses/{course}/lessons", "post", {"course": "$response.body#/slug"}),
        "PublishCourse": (f"{COURSE}/publish", "post", {"course": "$response.body#/slug"}),
        "DeleteCourse": (COURSE, "delete", {"course": "$response.body#/slug"}),
    },
    ("/api/v1/courses/{course}/lessons", "post", "201"): {
        "GetLesson": (LESSON, "get", {"course": "$request.path.course", "lesson": "$response.body#/id"}),
        "UpdateLesson": (LESSON, "patch", {"course": "$request.path.course", "lesson": "$response.body#/id"}),
        "DeleteLesson": (LESSON, "delete", {"course": "$request.path.course", "lesson": "$response.body#/id"}),
    },
}


def document_links(schema: dict[str, Any]) -> dict[str, Any]:
    """Write ``LINKS`` into the responses of ``schema`` (in place), by the targets' operation IDs."""
    paths = schema.get("paths", {})
    for (path, method, status), links in LINKS.items():
        response = paths.get(path, {}).get(method, {}).get("responses", {}).get(status)
        if response is None:
            continue
        response["links"] = {
            name: {"operationId": paths[target][target_method]["operationId"], "parameters": parameters}
            for name, (target, target_method, parameters) in links.items()
            if target_method in paths.get(target, {})
        }
    return schema
