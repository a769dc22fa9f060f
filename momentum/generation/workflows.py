"""The course-generation workflow (DBOS): topic (and PDFs) in, a draft course out.

    validate → references → outline → lesson per day (fan-out, text queue) → quiz per lesson
    (fan-out, text queue; validated, regenerated at most twice, else dropped) → per lesson: video
    submit → poll until ready (durable sleep) (fan-out, media queue) → thumbnail → save the draft
    course with its lessons and quizzes, keys shuffled across the course (one transaction) →
    notify the admin (email + in-app)

Each box is a DBOS step: checkpointed, so a restarted worker resumes at the first unfinished one
and a finished provider call is never made again. Steps take IDs and keep what they produce in
their ``GenerationStep`` row (the outline, each lesson, each stored video), so a retried job
(a new workflow for the same job) skips the steps that succeeded and resumes at the failed one.
Provider calls go through ``resilience.call`` (circuit breaker, bounded retries, cost).

Text calls run as child workflows on the ``generation-text`` queue, whose limiter caps the
requests per minute to the text provider across every worker. A failed outline or lesson fails
the job; a failed quiz, video or thumbnail degrades it (no quiz / no video / the title-card
placeholder) and the job succeeds with warnings. Everything generated is saved needing review.

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
from django.db import transaction
from django.urls import reverse

from momentum.generation import actions, narration_captions, providers, quiz_keys, resilience
from momentum.generation.audit_actions import AuditAction
from momentum.generation.models import (
    GenerationJob,
    GenerationStep,
    JobStatus,
    ProviderCall,
    StepName,
    StepStatus,
)
from momentum.generation.providers.base import (
    CourseBrief,
    LessonDraft,
    Outline,
    ProviderError,
    ThumbnailRequest,
    VideoRequest,
)
from momentum.lib.logs import get_logger
from momentum.platform import durable

log = get_logger("momentum.generation.workflows")
P = ParamSpec("P")
R = TypeVar("R")

TEXT_QUEUE = "generation-text"
MEDIA_QUEUE = "generation-media"
DEMO_MEDIA_QUEUE = "demo-media"
VIDEO_MAX_WAIT_SECONDS = 6 * 3600  # a video not ready after six hours of polls is given up
PASSAGES_FOR_OUTLINE = 6
PASSAGES_PER_LESSON = 3
QUIZ_RETRIES = 2  # a quiz that fails validation is written again at most this many times

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


CANCELLED = "cancelled"  # what a step that found its job cancelled answers (for those that answer text)


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
        language=job.language,
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
    return {"days": job.duration_days, "video": job.include_video, "quizzes": job.include_quizzes}


@durable.step()
def still_running(job_id: str) -> bool:
    return not _cancelled(job_id)


@generation_step(StepName.VALIDATE, done="", cancelled=CANCELLED)
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


@generation_step(StepName.REFERENCES, done=None, cancelled=None)
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
    if name.startswith(f"{StepName.QUIZ}-"):
        return write_quiz(job_id, StepName.QUIZ.day_of(name))
    return write_lesson(job_id, StepName.LESSON.day_of(name))


@generation_step(StepName.OUTLINE, done="", cancelled=CANCELLED, checkpointed=False)
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
    actions.do_finish_step(
        step,
        output={
            "outline": outline.model_dump(mode="json"),
            "model": result.model,
            # What the admin should know about the draft (the offline generator's "review before
            # publishing"): shown in the studio, never in the text learners read.
            "review_note": getattr(text, "review_note", ""),
        },
    )
    return ""


@generation_step(StepName.LESSON, done="", cancelled=CANCELLED, checkpointed=False)
def write_lesson(run: StepRun, day: int) -> str:
    """Day ``day``'s lesson, grounded in the passages nearest to its plan: '' or what went wrong."""
    job, step = run.job, run.step
    brief = _brief(job)
    text = providers.text_provider()
    outline = _outline(str(job.pk))
    passages = _lesson_passages(job, outline, day)
    try:
        result = _provider_call(step, text.name, "text", lambda: text.lesson(brief, outline, day, passages))
    except ProviderError as error:
        actions.do_fail_step(step, str(error))
        return f"{step.name}: {error}"
    actions.do_finish_step(step, output={"lesson": result.value.model_dump(mode="json"), "model": result.model})
    return ""


def _lesson_passages(job: GenerationJob, outline: Outline, day: int) -> tuple[str, ...]:
    plan = outline.days[day - 1]
    return _passages(job, f"{plan.title} {plan.summary} {' '.join(plan.objectives)}", PASSAGES_PER_LESSON)


@generation_step(StepName.QUIZ, done="", cancelled="cancelled", finished=_DONE_OR_SKIPPED, checkpointed=False)
def write_quiz(run: StepRun, day: int) -> str:
    """Day ``day``'s quiz, kept only when it passes ``quiz_keys.quiz_problems`` (the assessments
    rules and keys stated in the lesson or its passages): written again with the reasons at most
    QUIZ_RETRIES times, each a costed call, then dropped with a warning. Never fails the job."""
    job, step, job_id = run.job, run.step, str(run.job.pk)
    brief, outline, lesson = _brief(job), _outline(job_id), _lesson(job_id, day)
    passages = _lesson_passages(job, outline, day)
    sources = [lesson.content_markdown, *passages]
    text = providers.text_provider()
    rejections: list[dict[str, Any]] = []
    feedback: tuple[str, ...] = ()
    for attempt in range(1, QUIZ_RETRIES + 2):
        try:
            result = _provider_call(
                step,
                text.name,
                "text",
                lambda feedback=feedback: text.quiz(brief, outline, lesson, day, passages, feedback=feedback),
            )
        except ProviderError as error:
            actions.do_update_step_output(step, {"rejections": rejections})
            actions.do_fail_step(step, str(error))
            actions.do_add_warning(job_id, f"Day {day} has no quiz: {error}")
            return ""
        spec = quiz_keys.spec_from_draft(result.value)
        problems = quiz_keys.quiz_problems(spec, sources)
        if not problems:
            actions.do_finish_step(
                step,
                output={
                    "quiz": quiz_keys.spec_to_json(spec),
                    "model": result.model,
                    "tries": attempt,
                    "rejections": rejections,
                },
            )
            return ""
        rejections.append({"try": attempt, "problems": problems})
        feedback = tuple(problems)
    reasons = "; ".join(rejections[-1]["problems"])[:500]
    actions.do_update_step_output(step, {"rejections": rejections})
    actions.do_fail_step(step, f"{len(rejections)} drafts failed validation; the last: {reasons}")
    actions.do_add_warning(
        job_id, f"Day {day} has no quiz: {len(rejections)} drafts failed validation (the last: {reasons})"
    )
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
        language=job.language,
        key=f"momentum-{job.pk}-day-{day}",  # a re-run of this step (retry, crash) reuses the video
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
    # The video's seconds are billed by the poll that finds it done. A re-run of that poll (the
    # worker died before this step was checkpointed, or the download failed and the job was
    # retried with the same video) must not bill them again: the provider charged once.
    billed = ProviderCall.objects.filter(step_id=step.pk, ok=True, video_seconds__gt=0).exists()
    try:
        video = providers.video_provider()
        status = _provider_call(
            step, video.name, "video", lambda: video.status(external_id), retries_only=True, bill=not billed
        )
        if status.state == "failed":
            raise ProviderError(status.error or "the video could not be made", provider=video.name, retryable=False)
        if status.state == "processing":
            if polls * settings.VIDEO_POLL_SECONDS >= VIDEO_MAX_WAIT_SECONDS:
                raise ProviderError("the video was not ready in time", provider=video.name, retryable=False)
            actions.do_update_step_output(step, {**step.output, "polls": polls})
            return "processing"
        stored, timed = _store_video(job_id, day, status, video, external_id)
    except ProviderError as error:
        _video_failed(job_id, step, day, str(error))
        return "failed"
    actions.do_finish_step(
        step,
        output={**step.output, "polls": polls, "video": stored, "seconds": str(status.duration_seconds),
                "captions": timed, "voice": status.voice},
    )  # fmt: skip
    return "done"


def _store_video(job_id: str, day: int, status: Any, provider: Any, external_id: str) -> tuple[str, str]:
    """The finished MP4 into media storage: from the provider's work folder (then removed) or
    downloaded through the provider, whose download checks every address it is sent to (SSRF)
    and caps the size. With it, its captions (WebVTT) from the narration (narration_captions)."""
    name = _media_name(job_id, f"day-{day}.mp4")
    narration = _lesson(job_id, day).narration
    if default_storage.exists(name):
        default_storage.delete(name)
    if status.file is not None:
        timed = narration_captions.captions_for(narration, status, status.file)
        with open(status.file, "rb") as source:
            stored = str(default_storage.save(name, File(source)))
        if hasattr(provider, "discard"):
            provider.discard(external_id)
        return stored, timed
    if status.url and hasattr(provider, "download"):
        with tempfile.TemporaryDirectory() as scratch:
            target = Path(scratch) / "video.mp4"
            provider.download(status.url, target)
            timed = narration_captions.captions_for(narration, status, target)
            with open(target, "rb") as source:
                return str(default_storage.save(name, File(source))), timed
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
    from momentum.audit.actions import do_record_audit
    from momentum.catalog.actions import NewLesson, do_add_lessons, do_create_course, do_set_thumbnail

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
            language=job.language,
            metadata={
                "generated_by_job": str(job.pk),
                "providers": job.providers,
                "warnings": job.warnings,
                "review_note": _step(job_id, StepName.OUTLINE).output.get("review_note", ""),
            },
            actor=job.created_by,
        )
        video_steps = job.steps.filter(name__startswith=f"{StepName.VIDEO}-")
        videos = {s.name: s.output.get("video") for s in video_steps}
        timed = {s.name: s.output.get("captions") or "" for s in video_steps}
        drafts = {day: _lesson(job_id, day) for day in range(1, job.duration_days + 1)}
        lessons = do_add_lessons(
            course,
            (
                NewLesson(
                    day=day,
                    title=draft.title,
                    content_markdown=draft.content_markdown,
                    duration_minutes=draft.duration_minutes,
                    is_preview=day == 1,
                    video=videos.get(StepName.VIDEO.of_day(day)) or "",
                    needs_review=True,
                    captions=timed.get(StepName.VIDEO.of_day(day), "")
                    if videos.get(StepName.VIDEO.of_day(day))
                    else "",
                    captions_language=job.language,
                )
                for day, draft in drafts.items()
            ),
        )
        quizzes = _save_quizzes(job, lessons) if job.include_quizzes else {}
        thumbnail = job.steps.get(name=StepName.THUMBNAIL).output.get("thumbnail")
        if thumbnail and default_storage.exists(thumbnail):
            with default_storage.open(thumbnail, "rb") as image:
                do_set_thumbnail(course, image.read(), actor=job.created_by)
        job.course = course
        job.save(update_fields=["course", "updated_at"])
        do_record_audit(
            AuditAction.GENERATION_COURSE_SAVED, actor=job.created_by, resource=course,
            metadata={"job_id": str(job.pk), "lessons": job.duration_days, "quizzes": quizzes.get("quizzes", 0)},
        )  # fmt: skip
        actions.do_finish_step(step, output={"course_id": course.pk, "quizzes": quizzes})
    return course.pk


def _save_quizzes(job: GenerationJob, lessons: list[Any]) -> dict[str, Any]:
    """The validated quizzes, their options shuffled across the course so that no position holds
    more than 40 % of the keys, saved needing review. Returns the key-validation figures."""
    from momentum.assessments.actions import do_put_quiz

    steps = list(job.steps.filter(name__startswith=f"{StepName.QUIZ}-"))
    specs = {
        StepName.QUIZ.day_of(row.name): quiz_keys.spec_from_json(row.output["quiz"])
        for row in steps
        if row.status == StepStatus.SUCCEEDED and row.output.get("quiz")
    }
    balanced = quiz_keys.balanced_keys(specs, seed=str(job.pk))
    if not balanced.balanced:
        actions.do_add_warning(
            str(job.pk),
            f"The quizzes' right answers could not be spread over the option positions: {balanced.positions}.",
        )
    by_day = {lesson.day: lesson for lesson in lessons}
    for day, spec in balanced.quizzes.items():
        do_put_quiz(None, by_day[day], spec, needs_review=True)
    rejected: dict[str, int] = {}
    for row in steps:
        for rejection in row.output.get("rejections", []):
            for problem in rejection["problems"]:
                kind = quiz_keys.problem_kind(problem)
                rejected[kind] = rejected.get(kind, 0) + 1
    return {
        "quizzes": len(specs),
        "questions": sum(len(spec.questions) for spec in specs.values()),
        "drafts_rejected": sum(len(row.output.get("rejections", [])) for row in steps),
        "rejected_because": dict(sorted(rejected.items(), key=lambda item: -item[1])),
        "dropped_days": sorted(StepName.QUIZ.day_of(row.name) for row in steps if row.status == StepStatus.FAILED),
        "key_positions_as_written": dict(sorted(quiz_keys.key_positions(specs.values()).items())),
        "key_positions": balanced.positions,
        "shuffles": balanced.shuffles,
    }


@generation_step(StepName.NOTIFY, done=None)
def notify(run: StepRun) -> None:
    """Tell the admin who asked: an email and an in-app notice (once each)."""
    from momentum.accounts.actions import do_notify
    from momentum.accounts.models import NotificationKind

    job, step = run.job, run.step
    url = reverse("generation:studio_job", args=[job.pk])
    warnings = job.warnings
    title = f"Draft ready: {job.course.title if job.course else job.topic}"
    body = (
        f"The {job.duration_days}-day course on “{job.topic}” is saved as a draft, ready for your review."
        + (f" {len(warnings)} warning(s): " + "; ".join(warnings) if warnings else "")
        + f" Cost: ${job.cost_usd:.4f}."
    )
    # In the app and, unless the admin turned it off, by email (sent from this step: background already).
    do_notify(job.created_by, kind=NotificationKind.GENERATION_FINISHED, title=title, body=body, url=url, once=True)
    actions.do_finish_step(step, output={"notified": job.created_by.email})


@durable.step()
def finish(job_id: str, status: str, error: str = "") -> str:
    if status == JobStatus.FAILED:
        _notify_failure(job_id, error)
    return actions.do_finish_job(job_id, JobStatus(status), error=error)


def _notify_failure(job_id: str, error: str) -> None:
    from momentum.accounts.actions import do_notify
    from momentum.accounts.models import NotificationKind

    job = _job(job_id)
    url = reverse("generation:studio_job", args=[job.pk])
    do_notify(
        job.created_by, kind=NotificationKind.GENERATION_FAILED, title=f"Generation failed: {job.topic}",
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
            return _pipeline(
                job_id, plan["days"], include_video=plan["video"], include_quizzes=plan.get("quizzes", False)
            )
        except Stop:
            return JobStatus.CANCELLED


def _text(job_id: str, names: list[str]) -> str:
    handles = [DBOS.enqueue_workflow(TEXT_QUEUE, write_text, job_id, name) for name in names]
    errors = [error for error in (handle.get_result() for handle in handles) if error]
    if CANCELLED in errors:
        raise Stop
    return "; ".join(errors)


def _pipeline(job_id: str, days: int, *, include_video: bool, include_quizzes: bool = False) -> str:
    problem = validate(job_id)
    if problem == CANCELLED:
        raise Stop
    if problem:
        return finish(job_id, JobStatus.FAILED, f"The request is invalid: {problem}.")
    gather_references(job_id)
    error = _text(job_id, [str(StepName.OUTLINE)]) or _text(
        job_id, [StepName.LESSON.of_day(day) for day in range(1, days + 1)]
    )
    if error:
        return finish(job_id, JobStatus.FAILED, f"The text provider failed: {error}")
    if include_quizzes:
        _text(job_id, [StepName.QUIZ.of_day(day) for day in range(1, days + 1)])  # a lost quiz is a warning
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
