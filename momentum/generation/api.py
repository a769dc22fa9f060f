"""The generation app's API operations (mounted under /api/v1 by momentum/api.py): generation jobs
and their live events (server-sent events, an async view on Django's ASGI path). POST
/reference-documents is in references/api.py, mounted beside this router."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from asgiref.sync import sync_to_async
from django.http import HttpRequest, StreamingHttpResponse
from ninja import HeaderEx, P, QueryEx, Router, Status
from ninja.responses import NinjaJSONEncoder

from momentum.accounts.policy import Access, api_access, caller
from momentum.catalog.queries import category_by_key
from momentum.generation import actions, queries
from momentum.generation.models import GenerationJob
from momentum.generation.references.queries import reference_documents
from momentum.generation.schemas import JobIn, JobOut, JobPage
from momentum.lib.problems import Invalid, Problem
from momentum.platform.api_problems import problems

router = Router(tags=["generation"])
# Admins see and act on every job; an instructor on the jobs they started (others' are 404), within
# their own daily quota and budget (actions._check_allowance).
STAFF = api_access(Access.COURSE_STAFF)

EVENT_POLL_SECONDS = 0.5
HEARTBEAT_SECONDS = 15.0


def job_out(job: GenerationJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "topic": job.topic,
        "category": job.category.slug,
        "duration_days": job.duration_days,
        "level": job.level,
        "pacing": job.pacing,
        "language": job.language,
        "include_video": job.include_video,
        "include_thumbnail": job.include_thumbnail,
        "include_quizzes": job.include_quizzes,
        "warnings": list(job.warnings),
        "error": job.error,
        "steps": [
            {
                "name": step.name,
                "status": step.status,
                "attempts": step.attempts,
                "started_at": step.started_at,
                "finished_at": step.finished_at,
                "cost_usd": step.cost_usd,
                "error": step.error,
            }
            for step in queries.steps(job)
        ],
        "cost_usd_total": job.cost_usd,
        "course_id": job.course_id,
        "providers": job.providers,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def job_request(payload: JobIn, user: Any) -> actions.JobRequest:
    category = category_by_key(payload.category)
    if category is None:
        raise Invalid("category", "no such category", rule="exists")
    documents = reference_documents(payload.reference_document_ids, user)
    missing = {str(i) for i in payload.reference_document_ids} - {str(d.pk) for d in documents}
    if missing:
        raise Invalid("reference_document_ids", f"no such reference documents: {', '.join(sorted(missing))}")
    return actions.JobRequest(
        topic=payload.topic,
        category=category,
        duration_days=payload.duration_days,
        level=payload.level,
        pacing=payload.pacing,
        language=payload.language,
        audience=payload.audience,
        tone=payload.tone,
        include_video=payload.include_video,
        include_thumbnail=payload.include_thumbnail,
        include_quizzes=payload.include_quizzes,
        reference_documents=documents,
    )


@router.post(
    "/generation-jobs",
    auth=STAFF,
    response={202: JobOut},
    summary="Start generating a draft course",
    openapi_extra=problems(
        {
            422: "Invalid input (`validation_error`, `idempotency_key_reused`)",
            429: "`generation_quota_exceeded` past the daily quota per admin (per instructor: their own, "
            "smaller one); `generation_budget_exhausted` when the site's daily or monthly AI budget, or "
            "an instructor's own daily budget, is spent",
        }
    ),
)
def start_job(
    request: HttpRequest,
    payload: JobIn,
    idempotency_key: HeaderEx[str | None, P(alias="Idempotency-Key", max_length=255)] = None,
) -> Status[Any]:
    """Queues the job (202); a worker runs it. The job's id is its workflow's id; the same
    `Idempotency-Key` returns the same job."""
    job, _ = actions.do_start_job(
        request.user, job_request(payload, request.user), idempotency_key=idempotency_key or "", request=request
    )
    return Status(202, job_out(queries.job_or_404(job.pk, None)))


@router.get("/generation-jobs", auth=STAFF, response=JobPage, summary="Generation jobs")
def list_jobs(
    request: HttpRequest,
    status: QueryEx[str, P(pattern="^(|QUEUED|RUNNING|SUCCEEDED|FAILED|CANCELLED)$")] = "",
    page: QueryEx[int, P(ge=1, le=100_000)] = 1,
    page_size: QueryEx[int, P(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    found = queries.jobs(request.user, status)
    start = (page - 1) * page_size
    items = [job_out(job) for job in found[start : start + page_size]]
    return {"items": items, "count": found.count(), "page": page, "page_size": page_size}


@router.get(
    "/generation-jobs/{id}",
    auth=STAFF,
    response=JobOut,
    summary="A generation job, its steps and its cost",
    openapi_extra=problems({404: "No such job"}),
)
def get_job(request: HttpRequest, id: UUID) -> dict[str, Any]:
    return job_out(queries.job_or_404(id, request.user))


@router.post(
    "/generation-jobs/{id}/cancel",
    auth=STAFF,
    response={202: JobOut},
    summary="Cancel a queued or running job",
    openapi_extra=problems({409: "`job_finished`"}),
)
def cancel_job(request: HttpRequest, id: UUID) -> Status[Any]:
    job = actions.do_cancel_job(queries.job_or_404(id, request.user), actor=caller(request), request=request)
    return Status(202, job_out(queries.job_or_404(job.pk, None)))


@router.post(
    "/generation-jobs/{id}/retry",
    auth=STAFF,
    response={202: JobOut},
    summary="Retry a failed job from its failed step",
    openapi_extra=problems({409: "`job_not_failed`"}),
)
def retry_job(request: HttpRequest, id: UUID) -> Status[Any]:
    job = actions.do_retry_job(queries.job_or_404(id, request.user), actor=caller(request), request=request)
    return Status(202, job_out(queries.job_or_404(job.pk, None)))


# --- Server-sent events -------------------------------------------------------------------------


def _snapshot(job_id: UUID, user: Any = None) -> dict[str, Any]:
    """The job as GET /generation-jobs/{id} sends it (same schema, same JSON encoder); ``user``: 404
    unless they may see it (the first snapshot; the later ones are of the same job)."""
    job = queries.job_or_404(job_id, user)
    return json.loads(json.dumps(JobOut.model_validate(job_out(job)).model_dump(), cls=NinjaJSONEncoder))  # type: ignore[no-any-return]


def _event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


async def job_events(job_id: UUID, first: dict[str, Any]) -> AsyncIterator[str]:
    """`job` once, a `step` for each step that changed, `job` when the job's status, warnings or
    cost change, and `end` when the job has ended (documented by momentum/generation/event_docs.py)."""
    snapshot = sync_to_async(_snapshot)
    current = first
    yield "retry: 2000\n\n"
    yield _event("job", {k: v for k, v in current.items() if k != "steps"})
    for step in current["steps"]:
        yield _event("step", step)
    loop = asyncio.get_running_loop()
    quiet_since = loop.time()
    while current["status"] not in actions.FINISHED:
        await asyncio.sleep(EVENT_POLL_SECONDS)
        latest = await snapshot(job_id)
        changed = [new for old, new in zip(current["steps"], latest["steps"], strict=False) if old != new]
        for step in changed:
            yield _event("step", step)
        summary = {k: v for k, v in latest.items() if k != "steps"}
        if summary != {k: v for k, v in current.items() if k != "steps"}:
            yield _event("job", summary)
            changed.append(summary)
        if changed:
            quiet_since = loop.time()
        elif loop.time() - quiet_since > HEARTBEAT_SECONDS:
            yield ": still working\n\n"
            quiet_since = loop.time()
        current = latest
    yield _event("end", {"id": current["id"], "status": current["status"], "course_id": current["course_id"]})


@router.get(
    "/generation-jobs/{id}/events",
    auth=STAFF,
    summary="Live step updates of a job (text/event-stream) until it ends",
    openapi_extra=problems(
        {404: "No such job"},
        responses={
            200: {
                "description": "Server-sent events: `job` (the job without its steps), `step` (one "
                "step) and a final `end`; each event's `data` is JSON (schema below, one event)",
                "content": {"text/event-stream": {"schema": {"type": "object"}}},
            },
        },
    ),
)
async def stream_job_events(request: HttpRequest, id: UUID) -> StreamingHttpResponse:
    """An async view (served by Django's ASGI handler) that holds no thread while it waits."""
    try:
        first = await sync_to_async(_snapshot)(id, request.user)
    except Problem:
        raise
    response = StreamingHttpResponse(job_events(id, first), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
