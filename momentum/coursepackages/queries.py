"""Export: a course as one zip that is both Momentum's package and an IMS Common Cartridge 1.3.

    imsmanifest.xml                 the cartridge's manifest (cartridge.py)
    momentum.json                   everything for a lossless re-import (package_format.py)
    lessons/day-NN.html             each lesson as a web page: its Markdown rendered and sanitised
    assessments/day-NN/assessment.xml   the day's quiz, QTI 1.2 in the CC profile (qti.py)
    captions/day-NN.<language>.vtt  the lesson's captions (listed with its page: associated content)
    media/day-NN.<ext>              an uploaded lesson video
    media/thumbnail.png             the course's thumbnail

The zip is written to an anonymous temporary file, media copied in chunks straight from storage,
and streamed to the client from there: a course with large videos is never held in memory.
"""

from __future__ import annotations

import html
import json
import shutil
import tempfile
import zipfile
from typing import IO

from django.db.models.fields.files import FieldFile
from django.utils import timezone

from momentum.assessments.queries import quiz_specs_of
from momentum.catalog.models import Course, Lesson
from momentum.catalog.queries import caption_tracks, course_language
from momentum.coursepackages import cartridge, package_format, qti
from momentum.lib.markdown import render

CHUNK = 1024 * 1024


def package_filename(course: Course) -> str:
    return f"{course.slug}.imscc.zip"


def _day(lesson: Lesson) -> str:
    return f"day-{lesson.day:02d}"


def lesson_page(lesson: Lesson, *, video: str | None, captions: list[tuple[str, str]]) -> str:
    """The lesson as a standalone XHTML page: title, video (with caption tracks) and sanitised text."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">',
        f'<head><meta charset="utf-8"/><title>{html.escape(lesson.title)}</title></head><body>',
        f"<h1>{html.escape(lesson.title)}</h1>",
    ]
    if video:
        parts.append(f'<video controls="controls" src="../{html.escape(video)}">')
        parts.extend(
            f'<track kind="captions" srclang="{html.escape(language)}" src="../{html.escape(path)}"/>'
            for language, path in captions
        )
        parts.append("</video>")
    elif lesson.video_url:
        parts.append(f'<p><a href="{html.escape(lesson.video_url)}">Video</a></p>')
    parts.append(str(render(lesson.content_markdown)))
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_package(course: Course, out: IO[bytes]) -> None:
    """Write ``course``'s package (see the module docstring) into ``out``."""
    lessons = list(course.lessons.order_by("day"))
    quizzes = quiz_specs_of(lessons)
    data: dict[str, object] = {
        "format": package_format.FORMAT,
        "version": package_format.VERSION,
        "exported_at": timezone.now().isoformat(),
    }
    course_data: dict[str, object] = {
        "title": course.title, "description": course.description, "category": course.category.slug,
        "duration_days": course.duration_days, "level": course.level, "pacing": course.pacing,
        "is_premium": course.is_premium, "price_cents": course.price_cents, "currency": course.currency,
        "metadata": course.metadata, "thumbnail": None,
    }  # fmt: skip
    days: list[cartridge.DayItem] = []
    resources: list[cartridge.Resource] = []
    lesson_rows: list[dict[str, object]] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if course.thumbnail:
            course_data["thumbnail"] = "media/thumbnail.png"
            _copy_file(archive, course.thumbnail, "media/thumbnail.png")
        for lesson in lessons:
            day = _day(lesson)
            video = None
            if lesson.video:
                stored_name = lesson.video.name or ""
                extension = stored_name.rsplit(".", 1)[-1].lower() if "." in stored_name else "mp4"
                video = f"media/{day}.{extension}"
                _copy_file(archive, lesson.video, video)
            tracks = caption_tracks(lesson)
            caption_files = []
            for track in tracks:
                path = f"captions/{day}.{track.language}.vtt"
                archive.writestr(path, track.vtt)
                caption_files.append((track.language, path))
            page = f"lessons/{day}.html"
            archive.writestr(page, lesson_page(lesson, video=video, captions=caption_files))
            resources.append(cartridge.Resource(
                identifier=f"res_{day}_page", type=cartridge.WEBCONTENT, href=page,
                files=[page, *([video] if video else []), *(path for _, path in caption_files)],
            ))  # fmt: skip
            leaves = [(lesson.title, f"res_{day}_page")]
            row: dict[str, object] = {
                "day": lesson.day, "title": lesson.title, "content_markdown": lesson.content_markdown,
                "video": video, "video_url": lesson.video_url, "duration_minutes": lesson.duration_minutes,
                "is_preview": lesson.is_preview, "needs_review": lesson.needs_review,
                "captions": [{"language": track.language, "source": track.source, "file": path}
                             for track, (_, path) in zip(tracks, caption_files, strict=True)],
                "quiz": None,
            }  # fmt: skip
            quiz = quizzes.get(lesson.pk)
            if quiz is not None:
                spec, needs_review = quiz
                assessment = f"assessments/{day}/assessment.xml"
                archive.writestr(assessment, qti.assessment_xml(qti.QuizToWrite(
                    ident=f"quiz_{day}", title=f"Quiz: {lesson.title}"[:500], max_attempts=spec.max_attempts,
                    questions=list(spec.questions),
                )))  # fmt: skip
                resources.append(
                    cartridge.Resource(identifier=f"res_{day}_quiz", type=cartridge.ASSESSMENT, files=[assessment])
                )
                leaves.append((f"Quiz: {lesson.title}"[:500], f"res_{day}_quiz"))
                row["quiz"] = {
                    "pass_percent": spec.pass_percent, "max_attempts": spec.max_attempts,
                    "needs_review": needs_review,
                    "questions": [
                        {"kind": question.kind.value, "prompt": question.prompt, "explanation": question.explanation,
                         "accepted_answers": list(question.accepted_answers),
                         "options": [{"text": option.text, "correct": option.correct} for option in question.options]}
                        for question in spec.questions
                    ],
                }  # fmt: skip
            lesson_rows.append(row)
            days.append(cartridge.DayItem(identifier=f"item_{day}", title=f"Day {lesson.day}: {lesson.title}",
                                          leaves=leaves))  # fmt: skip
        data["course"] = course_data
        data["lessons"] = lesson_rows
        archive.writestr(package_format.MANIFEST_NAME, json.dumps(data, ensure_ascii=False, indent=2))
        own_files = [package_format.MANIFEST_NAME, *(["media/thumbnail.png"] if course.thumbnail else [])]
        resources.append(cartridge.Resource(identifier="res_momentum_package", type=cartridge.WEBCONTENT,
                                            files=own_files))  # fmt: skip
        archive.writestr("imsmanifest.xml", cartridge.manifest_xml(cartridge.ManifestToWrite(
            identifier=f"momentum_{course.slug}", title=course.title, description=course.description,
            language=course_language(course), days=days, resources=resources,
        )))  # fmt: skip


def _copy_file(archive: zipfile.ZipFile, field_file: FieldFile, name: str) -> None:
    """Copy a stored media file into the zip in chunks, stored (media are compressed already)."""
    entry = zipfile.ZipInfo(name, date_time=timezone.now().timetuple()[:6])
    with field_file.open("rb") as source, archive.open(entry, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, CHUNK)


def package_file(course: Course) -> IO[bytes]:
    """The course's package in an anonymous temporary file, rewound (it vanishes when closed)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it once streamed)
    try:
        write_package(course, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def imported(course: Course, source: str, warnings: list[str]) -> dict[str, object]:
    """What an import answers: the new draft, where it came from, and what was skipped."""
    from momentum.assessments.models import Quiz

    return {
        "id": course.pk, "slug": course.slug, "title": course.title, "status": course.status,
        "duration_days": course.duration_days, "lesson_count": course.lessons.count(),
        "quiz_count": Quiz.objects.filter(lesson__course=course).count(), "format": source, "warnings": warnings,
    }  # fmt: skip
