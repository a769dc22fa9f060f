"""The generator's part of the demo: quizzes on the demo lessons, and narrated videos for a few
demo courses, so that a new user meets the quiz and the video player at once.

``seed`` (called by ``momentum seed-demo``, after ``assessments.demo``) first gives every demo
lesson that has no quiz one written by the offline quiz writer (see ``demo_quizzes``), then only
queues one durable workflow per video lesson and returns: ``make run`` does not wait. The worker
renders each video with the offline ``slides`` provider (Pillow slides, espeak-ng narration,
ffmpeg), whatever video provider the site is set to use for generation, and stores it as the
lesson's video, with its captions (timed to the narration as spoken; the lesson page shows their
words as the transcript). The narration is the lesson's own text, its first sentences; its section headings
are the slides. The workflow ID names the lesson and its text, so seeding again queues nothing
new, and a lesson that already has a video, or no longer exists, is left alone.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction

from momentum.catalog.models import Lesson
from momentum.generation.demo_quizzes import seed_quizzes
from momentum.generation.providers.base import ProviderError, VideoRequest
from momentum.lib.logs import get_logger
from momentum.lib.terms import sentences

log = get_logger("momentum.generation.demo")

DEMO_VIDEO_COURSES = ("python-in-7-days", "sketching-for-beginners", "better-sleep-in-7-days")
NARRATION_WORDS = 90  # about 35 s of speech: a short video per lesson
MAX_POINTS = 4

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`>#]+")
_LIST_ITEM = re.compile(r"^\s*(?:[-+*]|\d+\.)\s+", re.MULTILINE)
_HEADING = re.compile(r"^#{2,3}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def seed(*, admin: Any, learner: Any, stdout: Any) -> None:
    quizzes = seed_quizzes(admin)
    if quizzes.made or quizzes.without:
        stdout.write(
            f"Demo quizzes written offline: {quizzes.made} made, {len(quizzes.without)} lessons without a valid one."
        )
    if settings.DEMO_VIDEOS:
        seed_videos(stdout)


def seed_videos(stdout: Any) -> None:
    lessons = list(
        Lesson.objects.filter(course__slug__in=DEMO_VIDEO_COURSES, course__metadata__demo=True, video="")
        .select_related("course")
        .order_by("day", "course__slug")  # the free first days first: what a visitor opens
    )
    for lesson in lessons:
        enqueue(lesson)
    if lessons:
        stdout.write(
            f"Queued {len(lessons)} narrated demo videos; the worker renders them in the background "
            "(they appear on the lessons as they are ready)."
        )


def workflow_id(lesson: Lesson) -> str:
    digest = hashlib.sha256(f"{lesson.title}\n{lesson.content_markdown}".encode()).hexdigest()[:12]
    return f"demo-video-{lesson.pk}-{digest}"


def enqueue(lesson: Lesson) -> None:
    from momentum.generation import workflows
    from momentum.platform import durable

    lesson_id, key = lesson.pk, workflow_id(lesson)
    transaction.on_commit(
        lambda: durable.enqueue(
            workflows.narrate_demo_lesson, lesson_id, queue=workflows.DEMO_MEDIA_QUEUE, workflow_id=key
        )
    )


def plain_text(markdown: str) -> str:
    """The prose of a lesson's Markdown, for a narrator: no headings, markup or link targets."""
    body = _HEADING.sub("", markdown)
    body = _LIST_ITEM.sub("", _LINK.sub(r"\1", body))
    return " ".join(_MARKUP.sub("", body).split())


def narration(lesson: Lesson) -> str:
    """The lesson's first sentences, up to about ``NARRATION_WORDS`` words, after a welcome."""
    spoken = [f"Day {lesson.day}: {lesson.title}."]
    count = 0
    for sentence in sentences(plain_text(lesson.content_markdown)):
        spoken.append(sentence)
        count += len(sentence.split())
        if count >= NARRATION_WORDS:
            break
    return " ".join(spoken)


def video_request(lesson: Lesson) -> VideoRequest:
    points = [" ".join(_MARKUP.sub("", heading).split()) for heading in _HEADING.findall(lesson.content_markdown)]
    return VideoRequest(
        course_title=lesson.course.title,
        day=lesson.day,
        lesson_title=lesson.title,
        narration=narration(lesson),
        key_points=tuple(point for point in points if point)[:MAX_POINTS],
        accent_color=lesson.course.category.color,
        language=lesson.course.language,  # the voice speaks the course's language
    )


def render_and_store(lesson_id: int) -> str:
    """Render the lesson's narrated video and store it on the lesson: "stored", or why not."""
    from momentum.catalog.actions import do_put_caption_track, do_set_lesson_video
    from momentum.catalog.models import CaptionSource
    from momentum.catalog.queries import course_language
    from momentum.generation.providers.offline.slides import SlidesVideoProvider

    lesson = Lesson.objects.select_related("course__category").filter(pk=lesson_id).first()
    if lesson is None:
        return "gone"
    if lesson.video:
        return "has a video"
    provider = SlidesVideoProvider()
    external_id = ""
    try:
        external_id = provider.submit(video_request(lesson)).external_id
        status = provider.status(external_id)
        if status.file is None:
            raise ProviderError(status.error or "no video was rendered", provider=provider.name, retryable=False)
        with transaction.atomic(), open(status.file, "rb") as rendered:
            do_set_lesson_video(lesson, File(rendered, name="narrated.mp4"))
            if status.captions:  # timed to the narration as it was spoken
                do_put_caption_track(
                    lesson, language=course_language(lesson.course), vtt=status.captions, source=CaptionSource.GENERATED
                )
    except ProviderError as error:  # e.g. ffmpeg or espeak-ng missing: the demo goes without this video
        log.warning("demo_video_failed", lesson_id=lesson_id, error=str(error))
        return f"failed: {error}"
    finally:
        if external_id:
            provider.discard(external_id)
    log.info("demo_video_stored", lesson_id=lesson_id, course=lesson.course.slug, day=lesson.day)
    return "stored"
