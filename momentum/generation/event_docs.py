"""The OpenAPI description of GET /generation-jobs/{id}/events, from the schemas the stream sends.

Before OpenAPI 3.2 (``itemSchema``), the ``schema`` of a ``text/event-stream`` response describes
one event, as clients and Schemathesis read it: ``{"event": name, "data": text, "id"?, "retry"?}``.
Each of our events carries JSON in ``data`` (``contentMediaType`` + ``contentSchema``):

- ``job``: the job as GET /generation-jobs/{id} returns it (``JobOut``), without ``steps``; sent
  first and whenever the status, warnings or cost change;
- ``step``: one step (``StepOut``), for each step first and whenever it changes;
- ``end``: ``{id, status, course_id}``, once, when the job has ended.

The data schemas are copied from the document's own components, so they cannot drift from
what the REST operations (and the stream, which serialises through the same schemas) send.
"""

from __future__ import annotations

import copy
from typing import Any

EVENTS_PATH = "/api/v1/generation-jobs/{id}/events"
EVENT_STREAM = "text/event-stream"


def _event(name: str, data_schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "required": ["event", "data"],
        "properties": {
            "event": {"const": name},
            "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": data_schema},
            "id": {"type": "string"},
            "retry": {"type": "integer"},
        },
    }


def event_schema(components: dict[str, Any]) -> dict[str, Any]:
    """The schema of one event of the stream, from the ``JobOut`` and ``StepOut`` components."""
    job = copy.deepcopy(components["JobOut"])
    job["properties"].pop("steps")
    job["required"] = [name for name in job.get("required", []) if name != "steps"]
    job["title"] = "JobEventData"
    step = copy.deepcopy(components["StepOut"])
    end = {
        "title": "JobEndEventData",
        "type": "object",
        "required": ["id", "status", "course_id"],
        "properties": {
            "id": copy.deepcopy(job["properties"]["id"]),
            "status": copy.deepcopy(job["properties"]["status"]),
            "course_id": copy.deepcopy(job["properties"]["course_id"]),
        },
    }
    return {
        "oneOf": [
            _event("job", job, "The job without its steps: first, then whenever status, warnings or cost change"),
            _event("step", step, "One step: each step first, then whenever one changes"),
            _event("end", end, "Once, when the job has ended; the stream closes after it"),
        ]
    }


def document_job_events(schema: dict[str, Any]) -> dict[str, Any]:
    """Write the events of the job event stream into ``schema`` (in place)."""
    operation = schema.get("paths", {}).get(EVENTS_PATH, {}).get("get")
    components = schema.get("components", {}).get("schemas", {})
    if operation is None or "JobOut" not in components:
        return schema
    responses = operation["responses"]
    content = (responses.get("200") or responses[200])["content"]  # keys are still ints here
    content[EVENT_STREAM] = {"schema": event_schema(components)}
    return schema
