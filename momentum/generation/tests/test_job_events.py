"""GET /generation-jobs/{id}/events: server-sent events of a job's steps until it ends."""

from __future__ import annotations

import pytest
from django.test import AsyncClient

from momentum.accounts.tokens import issue_access_token
from momentum.generation.tests.pipeline import job_body, wait_for_job

pytestmark = pytest.mark.integration


async def _read(token: str, job_id: str) -> tuple[int, str, str]:
    client = AsyncClient()
    response = await client.get(
        f"/api/v1/generation-jobs/{job_id}/events", headers={"Authorization": f"Bearer {token}"}
    )
    if response.status_code != 200:
        return response.status_code, response["Content-Type"], response.content.decode()
    chunks = [chunk async for chunk in response.streaming_content]  # type: ignore[attr-defined]
    body = "".join(chunk.decode() if isinstance(chunk, bytes) else chunk for chunk in chunks)
    return response.status_code, response["Content-Type"], body


def test_the_event_stream_reports_each_step_and_ends_with_the_job(workflows: None, admin, api_as) -> None:
    from asgiref.sync import async_to_sync

    started = api_as(admin).post("/generation-jobs", job_body(include_video=False)).json()

    status, content_type, body = async_to_sync(_read)(issue_access_token(admin), started["id"])

    assert status == 200
    assert content_type.startswith("text/event-stream")
    assert "event: step" in body
    assert '"name": "lesson-7"' in body
    assert body.rstrip().splitlines()[-2] == "event: end"
    assert '"status": "SUCCEEDED"' in body.rstrip().splitlines()[-1]
    assert wait_for_job(started["id"]).status == "SUCCEEDED"


def test_the_event_stream_is_for_admins_only(learner, db) -> None:
    from asgiref.sync import async_to_sync

    status, content_type, _ = async_to_sync(_read)(issue_access_token(learner), "00000000-0000-0000-0000-000000000000")

    assert status == 403
    assert content_type == "application/problem+json"


def test_every_event_the_stream_sends_is_as_the_openapi_document_describes(workflows: None, admin, api_as) -> None:
    import json

    import jsonschema_rs
    from asgiref.sync import async_to_sync
    from schemathesis.core.deserialization import _parse_sse_events

    from momentum.platform.project_api import openapi_schema

    document = openapi_schema()
    stream = document["paths"]["/api/v1/generation-jobs/{id}/events"]["get"]["responses"]["200"]["content"]
    described = {
        option["properties"]["event"]["const"]: option for option in stream["text/event-stream"]["schema"]["oneOf"]
    }
    started = api_as(admin).post("/generation-jobs", job_body(include_video=False)).json()

    _, _, body = async_to_sync(_read)(issue_access_token(admin), started["id"])

    events = _parse_sse_events(body.encode())
    assert {event["event"] for event in events} == {"job", "step", "end"}
    for event in events:
        schema = described[event["event"]]
        jsonschema_rs.validator_for(schema, validate_formats=True).validate(event)
        data_schema = schema["properties"]["data"]["contentSchema"]
        jsonschema_rs.validator_for(data_schema, validate_formats=True).validate(json.loads(event["data"]))
