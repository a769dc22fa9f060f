"""The course-generation workflow (DBOS): topic (and PDFs) in, a draft course out.

    validate → references → outline → lesson per day (fan-out, text queue) → per lesson: video
    submit → poll until ready (durable sleep) (fan-out, media queue) → thumbnail → save the draft
    course with its lessons (one transaction) → notify the admin (email + in-app)

Each box is a DBOS step: checkpointed, so a restarted worker resumes at the first unfinished one
and a finished provider call is never made again. Steps take IDs and keep what they produce in
their ``GenerationStep`` row (the outline, each lesson, each stored video), so a retried job
(a new workflow for the same job) skips the steps that succeeded and resumes at the failed one.
Provider calls go through ``resilience.call`` (circuit breaker, bounded retries, cost).

Text calls run as child workflows on the ``generation-text`` queue, whose limiter caps the
requests per minute to the text provider across every worker. A failed outline or lesson fails
the job; a failed video or thumbnail degrades it (no video / the title-card placeholder) and the
job succeeds with warnings.

Beside it, ``narrate_demo_lesson`` renders a demo lesson's narrated video after seed-demo
(``demo-media`` queue, one at a time; see generation.demo).
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from dbos import DBOS
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

from momentum import durable
from momentum.generation import actions, providers, resilience
from momentum.generation.models import GenerationJob, GenerationStep, JobStatus, StepName, StepStatus
from momentum.generation.providers.base import (
    CourseBrief,
    LessonDraft,
    Outline,
    ProviderError,
    ThumbnailRequest,
    VideoRequest,
)
from momentum.lib.logs import get_logger

log = get_logger("momentum.generation.workflows")
P = ParamSpec("P")
R = TypeVar("R")

TEXT_QUEUE = "generation-text"
MEDIA_QUEUE = "generation-media"
DEMO_MEDIA_QUEUE = "demo-media"
VIDEO_MAX_WAIT_SECONDS = 6 * 3600  # a video not ready after six hours of polls is given up
PASSAGES_FOR_OUTLINE = 6
PASSAGES_PER_LESSON = 3

QUEUES: dict[str, dict[str, Any]] = {
    "generation": {"worker_concurrency": 2},
    # One text request per workflow on this queue: the limiter is the provider's rate limit, shared.
    TEXT_QUEUE: {"limiter": {"limit": settings.TEXT_REQUESTS_PER_MINUTE, "period": 60}, "worker_concurrency": 4},
    MEDIA_QUEUE: {"worker_concurrency": 2},
    # The demo's narrated videos, one at a time: the demo must not take the machine from its first user.
    DEMO_MEDIA_QUEUE: {"worker_concurrency": 1},
}
SCHEDULES: list[dict[str, Any]] = []


class Stop(Exception):
    """The job was cancelled: the workflow ends without another step."""


# --- Helpers the steps share ----------------------------------------------------------------------


def _job(job_id: str) -> GenerationJob:
    return GenerationJob.objects.select_related("category", "created_by").get(pk=job_id)


def _step(job_id: str, name: str) -> GenerationStep:
    return GenerationStep.objects.get(job__pk=job_id, name=name)


def _cancelled(job_id: str) -> bool:
    return GenerationJob.objects.filter(pk=job_id, status=JobStatus.CANCELLED).exists()


def _brief(job: GenerationJob) -> CourseBrief:
    references = _step(str(job.pk), StepName.REFERENCES).output
    return CourseBrief(
        topic=job.topic,
        duration_days=job.duration_days,
        level=job.level,
        category=job.category.name,
        audience=job.audience,
        tone=job.tone,
        passages=tuple(references.get("passages", [])),
    )


def _outline(job_id: str) -> Outline:
    return Outline.model_validate(_step(job_id, StepName.OUTLINE).output["outline"])


def _lesson(job_id: str, day: int) -> LessonDraft:
    return LessonDraft.model_validate(_step(job_id, StepName.LESSON.of_day(day)).output["lesson"])


def _passages(job: GenerationJob, query: str, k: int) -> tuple[str, ...]:
    documents = list(job.reference_documents.all())
    if not documents:
        return ()
    from momentum.generation.references.queries import passages_for

    return tuple(passages_for(documents, query, k))


def _provider_call(
    step: GenerationStep, provider: str, kind: str, fn: Any, *, bill: bool = True, retries_only: bool = False
) -> Any:
    """``fn()`` through the resilience layer, each attempt counted on the step; ``retries_only``
    counts only the attempts after the first (a video's status polls: the submission was the
    step's attempt, and polling a video that is still being made is waiting, not trying again)."""
    context = resilience.CallContext(job_id=str(step.job_id), step_id=step.pk, kind=kind, operation=step.name)

    def count(attempt: int) -> None:
        if attempt > 1 or not retries_only:
            actions.do_count_attempt(step)

    return resilience.call(provider, fn, context, on_attempt=count, bill=bill)


def _media_name(job_id: str, name: str) -> str:
    return f"generation/{job_id}/{name}"


# --- The step decorator --------------------------------------------------------------------------

_DONE = (StepStatus.SUCCEEDED,)
_DONE_OR_SKIPPED = (StepStatus.SUCCEEDED, StepStatus.SKIPPED)
_UNCHECKED: Any = object()


@dataclass(frozen=True)
class StepRun:
    """What a step's body works on: its job (with category and creator) and its started row."""

    job: GenerationJob
    step: GenerationStep


def generation_step(
    name: StepName,
    *,
    done: Any = None,
    cancelled: Any = _UNCHECKED,
    finished: tuple[StepStatus, ...] = _DONE,
    resumed: Callable[[GenerationStep], Any] | None = None,
    checkpointed: bool = True,
) -> Callable[[Callable[Concatenate[StepRun, P], R]], Callable[Concatenate[str, P], R]]:
    """A DBOS step of the pipeline that owns the preamble every step shares, in this order:

    - its ``GenerationStep`` row (``name``; a per-day step's row is ``name-<day>``, the day being
      the step's first argument after the job ID) in a ``finished`` status (done by an earlier run
      of the job, which a retried job skips): return ``done``;
    - when ``cancelled`` is given and the job was cancelled: return ``cancelled``;
    - when ``resumed(row)`` has an answer (work an earlier run left half done): return it;
    - otherwise start the row and run the body with the job and the row.

    The step is called with the job ID (and the day). DBOS records it under the function's name,
    which must not change: a resumed workflow replays its steps by the names it recorded. With
    ``checkpointed=False`` the body is not a DBOS step of its own but part of the one that calls it.
    """

    def decorate(body: Callable[Concatenate[StepRun, P], R]) -> Callable[Concatenate[str, P], R]:
        @functools.wraps(body)
        def run(job_id: str, /, *args: P.args, **kwargs: P.kwargs) -> R:
            row_name = name.of_day(int(args[0])) if name.per_day else str(name)  # type: ignore[call-overload]
            row = _step(job_id, row_name)
            if row.status in finished:
                return cast(R, done)
            if cancelled is not _UNCHECKED and _cancelled(job_id):
                return cast(R, cancelled)
            if resumed is not None and (answer := resumed(row)) is not None:
                return cast(R, answer)
            started = actions.do_start_step(job_id, row_name)
            return body(StepRun(job=_job(job_id), step=started), *args, **kwargs)

        return durable.step()(run) if checkpointed else run

    return decorate


# --- Steps -------------------------------------------------------------------------------------


@durable.step()
def begin(job_id: str) -> dict[str, Any]:
    """The job runs: its length and whether it wants videos; {} when it was cancelled or has ended."""
    if not actions.do_begin_job(job_id):
        return {}
    job = GenerationJob.objects.get(pk=job_id)
    return {"days": job.duration_days, "video": job.include_video}


@durable.step()
def still_running(job_id: str) -> bool:
    return not _cancelled(job_id)


@generation_step(StepName.VALIDATE, done="")
def validate(run: StepRun) -> str:
    """Everything the later steps rely on, checked once more at run time: '' or the problem."""
    job = run.job
    problems = []
    if job.duration_days not in (7, 14, 21):
        problems.append(f"a course lasts 7, 14 or 21 days, not {job.duration_days}")
    if not job.topic.strip():
        problems.append("the topic is empty")
    empty = [doc.filename for doc in job.reference_documents.all() if not doc.text.strip()]
    if empty:
        problems.append(f"no text could be read from {', '.join(empty)}")
    if problems:
        actions.do_fail_step(run.step, "; ".join(problems))
        return "; ".join(problems)
    actions.do_finish_step(run.step, output={"providers": providers.configured()})
    return ""


@generation_step(StepName.REFERENCES, done=None)
def gather_references(run: StepRun) -> None:
    """The reference passages most relevant to the topic (they ground the outline)."""
    job = run.job
    passages = _passages(job, f"{job.topic} {job.audience}", PASSAGES_FOR_OUTLINE)
    actions.do_finish_step(run.step, output={"passages": list(passages), "documents": job.reference_documents.count()})


@durable.step()
def write_text_step(job_id: str, name: str) -> str:
    """The outline (``name`` = "outline") or one lesson ("lesson-<day>"): '' or what went wrong.

    One DBOS step for both, under the name every text workflow has recorded since the first release.
    """
    if name == StepName.OUTLINE:
        return write_outline(job_id)
    return write_lesson(job_id, StepName.LESSON.day_of(name))


@generation_step(StepName.OUTLINE, done="", cancelled="cancelled", checkpointed=False)
def write_outline(run: StepRun) -> str:
    """The course's outline, one entry per day: '' or what went wrong."""
    job, step = run.job, run.step
    brief = _brief(job)
    text = providers.text_provider()
    try:
        result = _provider_call(step, text.name, "text", lambda: text.outline(brief))
        outline: Outline = result.value
        days = [entry.day for entry in outline.days]
        if days != list(range(1, job.duration_days + 1)):
            raise ProviderError(
                f"the outline plans days {days}, not 1..{job.duration_days}", provider=text.name, retryable=False
            )
    except ProviderError as error:
        actions.do_fail_step(step, str(error))
        return f"{step.name}: {error}"
    actions.do_finish_step(step, output={"outline": outline.model_dump(mode="json"), "model": result.model})
    return ""


@generation_step(StepName.LESSON, done="", cancelled="cancelled", checkpointed=False)
def write_lesson(run: StepRun, day: int) -> str:
    """Day ``day``'s lesson, grounded in the passages nearest to its plan: '' or what went wrong."""
    job, step = run.job, run.step
    brief = _brief(job)
    text = providers.text_provider()
    outline = _outline(str(job.pk))
    plan = outline.days[day - 1]
    passages = _passages(job, f"{plan.title} {plan.summary} {' '.join(plan.objectives)}", PASSAGES_PER_LESSON)
    try:
        result = _provider_call(step, text.name, "text", lambda: text.lesson(brief, outline, day, passages))
    except ProviderError as error:
        actions.do_fail_step(step, str(error))
        return f"{step.name}: {error}"
    actions.do_finish_step(step, output={"lesson": result.value.model_dump(mode="json"), "model": result.model})
    return ""


def _submitted(step: GenerationStep) -> str | None:
    """The video's external ID when an earlier run of this job submitted it already."""
    return str(step.output["external_id"]) if step.output.get("external_id") else None


@generation_step(StepName.VIDEO, done="", cancelled="", finished=_DONE_OR_SKIPPED, resumed=_submitted)
def submit_video(run: StepRun, day: int) -> str:
    """Ask the video provider for day ``day``'s video: its external ID, or '' when there is nothing
    to poll (done already, cancelled, or failed: then the lesson goes without video)."""
    job, step = run.job, run.step
    outline, lesson = _outline(str(job.pk)), _lesson(str(job.pk), day)
    request = VideoRequest(
        course_title=outline.title,
        day=day,
        lesson_title=lesson.title,
        narration=lesson.narration,
        key_points=tuple(outline.days[day - 1].objectives),
        accent_color=job.category.color,
    )
    try:
        video = providers.video_provider()
        submission = _provider_call(step, video.name, "video", lambda: video.submit(request))
    except ProviderError as error:
        _video_failed(str(job.pk), step, day, str(error))
        return ""
    actions.do_update_step_output(step, {"external_id": submission.external_id, "polls": 0})
    return str(submission.external_id)


@durable.step()
def poll_video(job_id: str, day: int, external_id: str) -> str:
    """One status poll: "processing" (poll again later), "done" (stored) or "failed" (degraded)."""
    step = _step(job_id, StepName.VIDEO.of_day(day))
    if step.status != StepStatus.RUNNING:
        return "done" if step.status == StepStatus.SUCCEEDED else "failed"
    if _cancelled(job_id):
        return "failed"
    polls = int(step.output.get("polls", 0)) + 1
    try:
        video = providers.video_provider()
        status = _provider_call(step, video.name, "video", lambda: video.status(external_id), retries_only=True)
        if status.state == "failed":
            raise ProviderError(status.error or "the video could not be made", provider=video.name, retryable=False)
        if status.state == "processing":
            if polls * settings.VIDEO_POLL_SECONDS >= VIDEO_MAX_WAIT_SECONDS:
                raise ProviderError("the video was not ready in time", provider=video.name, retryable=False)
            actions.do_update_step_output(step, {**step.output, "polls": polls})
            return "processing"
        stored = _store_video(job_id, day, status, video, external_id)
    except ProviderError as error:
        _video_failed(job_id, step, day, str(error))
        return "failed"
    actions.do_finish_step(
        step, output={**step.output, "polls": polls, "video": stored, "seconds": str(status.duration_seconds)}
    )
    return "done"


def _store_video(job_id: str, day: int, status: Any, provider: Any, external_id: str) -> str:
    """The finished MP4 into media storage: from the provider's work folder (then removed) or
    downloaded through the provider, whose download checks every address it is sent to (SSRF)
    and caps the size."""
    name = _media_name(job_id, f"day-{day}.mp4")
    if default_storage.exists(name):
        default_storage.delete(name)
    if status.file is not None:
        with open(status.file, "rb") as source:
            stored = str(default_storage.save(name, File(source)))
        if hasattr(provider, "discard"):
            provider.discard(external_id)
        return stored
    if status.url and hasattr(provider, "download"):
        with tempfile.TemporaryDirectory() as scratch:
            target = Path(scratch) / "video.mp4"
            provider.download(status.url, target)
            with open(target, "rb") as source:
                return str(default_storage.save(name, File(source)))
    raise ProviderError("the provider said done but gave no video", provider=provider.name, retryable=False)


def _video_failed(job_id: str, step: GenerationStep, day: int, error: str) -> None:
    actions.do_fail_step(step, error)
    actions.do_add_warning(job_id, f"Day {day} has no video: {error}")


@generation_step(StepName.THUMBNAIL, done=None, cancelled=None, finished=_DONE_OR_SKIPPED)
def make_thumbnail(run: StepRun) -> None:
    """The course's thumbnail from the provider, or the local title card when that fails."""
    from momentum.generation.providers.offline.title_card import render_title_card

    job, step, job_id = run.job, run.step, str(run.job.pk)
    title = _outline(job_id).title
    request = ThumbnailRequest(
        title=title, category=job.category.name, background=job.category.color, foreground=job.category.accent
    )
    name = _media_name(job_id, "thumbnail.png")
    if default_storage.exists(name):
        default_storage.delete(name)
    try:
        thumbnails = providers.thumbnail_provider()
        thumbnail = _provider_call(step, thumbnails.name, "image", lambda: thumbnails.render(request))
    except ProviderError as error:
        png = render_title_card(title, category=job.category.name, color=job.category.color, accent=job.category.accent)
        stored = default_storage.save(name, ContentFile(png))
        actions.do_update_step_output(step, {"thumbnail": stored, "placeholder": True})
        actions.do_fail_step(step, str(error))
        actions.do_add_warning(job_id, f"The thumbnail is the title-card placeholder: {error}")
        return
    stored = default_storage.save(name, ContentFile(thumbnail.png))
    actions.do_finish_step(step, output={"thumbnail": stored, "placeholder": False, "model": thumbnail.model})


@generation_step(StepName.SAVE, finished=())
def save_course(run: StepRun) -> int:
    """The draft course with every lesson, in one transaction; once (the job keeps its course)."""
    from momentum.catalog.actions import NewLesson, do_add_lessons, do_create_course, do_set_thumbnail
    from momentum.ops.actions import do_record_audit

    step, job_id = run.step, str(run.job.pk)
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().select_related("category", "created_by").get(pk=job_id)
        if job.course_id is not None:
            actions.do_finish_step(step, output={"course_id": job.course_id})
            return job.course_id
        outline = _outline(job_id)
        course = do_create_course(
            title=outline.title,
            description=outline.description,
            category=job.category,
            duration_days=job.duration_days,
            level=job.level,
            pacing=job.pacing,
            metadata={"generated_by_job": str(job.pk), "providers": job.providers, "warnings": job.warnings},
            actor=job.created_by,
        )
        videos = {s.name: s.output.get("video") for s in job.steps.filter(name__startswith=f"{StepName.VIDEO}-")}
        drafts = {day: _lesson(job_id, day) for day in range(1, job.duration_days + 1)}
        do_add_lessons(
            course,
            (
                NewLesson(
                    day=day,
                    title=draft.title,
                    content_markdown=draft.content_markdown,
                    duration_minutes=draft.duration_minutes,
                    is_preview=day == 1,
                    video=videos.get(StepName.VIDEO.of_day(day)) or "",
                )
                for day, draft in drafts.items()
            ),
        )
        thumbnail = job.steps.get(name=StepName.THUMBNAIL).output.get("thumbnail")
        if thumbnail and default_storage.exists(thumbnail):
            with default_storage.open(thumbnail, "rb") as image:
                do_set_thumbnail(course, image.read(), actor=job.created_by)
        job.course = course
        job.save(update_fields=["course", "updated_at"])
        do_record_audit(
            "generation.course_saved", actor=job.created_by, resource=course,
            metadata={"job_id": str(job.pk), "lessons": job.duration_days},
        )  # fmt: skip
        actions.do_finish_step(step, output={"course_id": course.pk})
    return course.pk


@generation_step(StepName.NOTIFY, done=None)
def notify(run: StepRun) -> None:
    """Tell the admin who asked: an email and an in-app notice (once each)."""
    from momentum.accounts.actions import do_notify

    job, step = run.job, run.step
    url = reverse("generation:studio_job", args=[job.pk])
    warnings = job.warnings
    title = f"Draft ready: {job.course.title if job.course else job.topic}"
    body = (
        f"The {job.duration_days}-day course on “{job.topic}” is saved as a draft, ready for your review."
        + (f" {len(warnings)} warning(s): " + "; ".join(warnings) if warnings else "")
        + f" Cost: ${job.cost_usd:.4f}."
    )
    if do_notify(job.created_by, kind="generation_finished", title=title, body=body, url=url, once=True):
        EmailMessage(
            subject=f"[{settings.SITE_NAME}] {title}",
            body=f"{body}\n\nReview it: {settings.SITE_URL.rstrip('/')}{url}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[job.created_by.email],
        ).send(fail_silently=True)
    actions.do_finish_step(step, output={"notified": job.created_by.email})


@durable.step()
def finish(job_id: str, status: str, error: str = "") -> str:
    if status == JobStatus.FAILED:
        _notify_failure(job_id, error)
    return actions.do_finish_job(job_id, JobStatus(status), error=error)


def _notify_failure(job_id: str, error: str) -> None:
    from momentum.accounts.actions import do_notify

    job = _job(job_id)
    url = reverse("generation:studio_job", args=[job.pk])
    do_notify(
        job.created_by, kind="generation_failed", title=f"Generation failed: {job.topic}",
        body=f"{error} You can retry the job from its page; it resumes at the failed step.", url=url,
    )  # fmt: skip


# --- Workflows ---------------------------------------------------------------------------------


@durable.workflow("generation.write_text")
def write_text(job_id: str, name: str) -> str:
    """One text request (outline or a lesson), on the rate-limited text queue."""
    return write_text_step(job_id, name)


@durable.workflow("generation.make_video")
def make_video(job_id: str, day: int) -> str:
    """Submit day ``day``'s video, then poll with durable sleeps until it is ready or given up."""
    external_id = submit_video(job_id, day)
    if not external_id:
        return "none"
    while True:
        state = poll_video(job_id, day, external_id)
        if state != "processing":
            return state
        DBOS.sleep(settings.VIDEO_POLL_SECONDS)


@durable.step()
def render_demo_video(lesson_id: int) -> str:
    from momentum.generation import demo

    return demo.render_and_store(lesson_id)


@durable.workflow("generation.narrate_demo_lesson")
def narrate_demo_lesson(lesson_id: int) -> str:
    """A demo lesson's narrated video (queued by seed-demo; see generation.demo)."""
    return render_demo_video(lesson_id)


@durable.workflow("generation.generate_course")
def generate_course(job_id: str, request_id: str = "") -> str:
    with durable.bind_request(request_id):
        plan = begin(job_id)
        if not plan:
            return "ended"
        try:
            return _pipeline(job_id, plan["days"], include_video=plan["video"])
        except Stop:
            return JobStatus.CANCELLED


def _text(job_id: str, names: list[str]) -> str:
    handles = [DBOS.enqueue_workflow(TEXT_QUEUE, write_text, job_id, name) for name in names]
    errors = [error for error in (handle.get_result() for handle in handles) if error]
    if "cancelled" in errors:
        raise Stop
    return "; ".join(errors)


def _pipeline(job_id: str, days: int, *, include_video: bool) -> str:
    problem = validate(job_id)
    if problem:
        return finish(job_id, JobStatus.FAILED, f"The request is invalid: {problem}.")
    gather_references(job_id)
    error = _text(job_id, [str(StepName.OUTLINE)]) or _text(
        job_id, [StepName.LESSON.of_day(day) for day in range(1, days + 1)]
    )
    if error:
        return finish(job_id, JobStatus.FAILED, f"The text provider failed: {error}")
    if include_video:
        handles = [DBOS.enqueue_workflow(MEDIA_QUEUE, make_video, job_id, day) for day in range(1, days + 1)]
        for handle in handles:
            handle.get_result()
    make_thumbnail(job_id)
    if not still_running(job_id):
        raise Stop
    save_course(job_id)
    notify(job_id)
    return finish(job_id, JobStatus.SUCCEEDED)
