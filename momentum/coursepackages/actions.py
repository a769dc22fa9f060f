"""Import: a course package becomes a DRAFT course owned by the importer; and the export's audit entry.

Two kinds of package come in (``archive.open_package`` has refused unsafe zips already):

- Momentum's own (it holds ``momentum.json``): every field comes back as it was exported, media and
  captions included, so export -> import -> export gives the same content. Anything that breaks a
  rule (a field out of range, a quiz Momentum would refuse, a missing media file) is 422 with the
  reason: a package we wrote is either whole or refused.
- A Common Cartridge from another LMS (Moodle, Canvas...): the organization's top-level items become
  the days (at most 21; the course lasts 7, 14 or 21 days, the fewest that fit), web pages and web
  links the lesson text, QTI assessments the day's quiz. What Momentum has no place for (discussion
  topics, LTI links, files, essay or matching questions) is skipped and listed in the warnings.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from pydantic import ValidationError

from momentum.accounts.models import User
from momentum.assessments.actions import InvalidQuiz, do_put_quiz
from momentum.assessments.specs import (
    DEFAULT_PASS_PERCENT,
    MAX_QUESTIONS,
    OptionSpec,
    QuestionKind,
    QuestionSpec,
    QuizSpec,
)
from momentum.audit.actions import do_record_audit
from momentum.catalog import actions as catalog_actions
from momentum.catalog import media
from momentum.catalog.models import DURATIONS, MAX_DAYS, Category, Course, Lesson
from momentum.coursepackages import cartridge, html_text, package_format, qti, safe_xml
from momentum.coursepackages.archive import InvalidPackage, Package
from momentum.coursepackages.audit_actions import AuditAction
from momentum.lib import language_tags
from momentum.lib.problems import Problem

MANIFEST = "imsmanifest.xml"
MOMENTUM = "momentum"
COMMON_CARTRIDGE = "common_cartridge"


@dataclass
class ImportResult:
    course: Course
    format: str
    warnings: list[str] = field(default_factory=list)


def do_record_export(course: Course, *, actor: User, request: HttpRequest | None = None) -> None:
    do_record_audit(AuditAction.COURSE_EXPORTED, actor=actor, resource=course, request=request)


def do_import_course(
    package: Package, *, actor: User, category: Category | None = None, request: HttpRequest | None = None
) -> ImportResult:
    """A new DRAFT course from ``package``, owned by ``actor`` (media stored, everything else in one
    transaction: a refused package leaves nothing behind)."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            if package.has(package_format.MANIFEST_NAME):
                result = _import_momentum(package, actor=actor, category=category, stored=stored, request=request)
            elif package.has(MANIFEST):
                result = _import_cartridge(package, actor=actor, category=category, request=request)
            else:
                raise InvalidPackage("it has no imsmanifest.xml (nor a momentum.json)", "no_manifest")
            do_record_audit(
                AuditAction.COURSE_IMPORTED, actor=actor, resource=result.course, request=request,
                metadata={"format": result.format, "lessons": result.course.lessons.count(),
                          "warnings": len(result.warnings)},
            )  # fmt: skip
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return result


def _default_category(category: Category | None, slug: str = "") -> Category:
    if category is not None:
        return category
    found = Category.objects.filter(slug=slug).first() if slug else None
    return found or Category.objects.order_by("position", "pk").first() or _no_category()


def _no_category() -> Category:
    raise Problem(409, "no_category", "There is no category to put the imported course in; create one first.")


# --- Momentum's own package -------------------------------------------------------------------


def _read_package_data(package: Package) -> package_format.PackageData:
    """``momentum.json``, parsed and held to its schema and to the rules between its fields."""
    try:
        raw = json.loads(package.text(package_format.MANIFEST_NAME))
    except json.JSONDecodeError as error:
        raise InvalidPackage(f"momentum.json is not JSON ({error.msg}, line {error.lineno})", "bad_json") from None
    if isinstance(raw, dict) and isinstance(raw.get("version"), int) and raw["version"] > package_format.VERSION:
        raise InvalidPackage(
            f"momentum.json is version {raw['version']}; this Momentum reads up to {package_format.VERSION}",
            "version",
        )
    try:
        data = package_format.PackageData.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidPackage(f"momentum.json: {where}: {first['msg']}", "bad_json") from None
    days = [lesson.day for lesson in data.lessons]
    if len(set(days)) != len(days) or any(day > data.course.duration_days for day in days):
        raise InvalidPackage("momentum.json: lessons must have distinct days within the course's length", "bad_json")
    if data.course.is_premium and data.course.price_cents <= 0:
        raise InvalidPackage("momentum.json: a premium course needs a price above 0", "bad_json")
    return data


def _quiz_spec(quiz: package_format.QuizData) -> QuizSpec:
    return QuizSpec(
        questions=tuple(QuestionSpec(
            kind=QuestionKind(question.kind), prompt=question.prompt, explanation=question.explanation,
            options=tuple(OptionSpec(option.text, option.correct) for option in question.options),
            accepted_answers=tuple(question.accepted_answers),
        ) for question in quiz.questions),
        pass_percent=quiz.pass_percent, max_attempts=quiz.max_attempts,
    )  # fmt: skip


def _import_momentum(
    package: Package, *, actor: User, category: Category | None, stored: list[str], request: HttpRequest | None
) -> ImportResult:
    data = _read_package_data(package)
    course_data = data.course
    course = catalog_actions.do_create_course(
        title=course_data.title, category=_default_category(category, course_data.category),
        duration_days=course_data.duration_days, description=course_data.description, level=course_data.level,
        pacing=course_data.pacing, is_premium=course_data.is_premium, price_cents=course_data.price_cents,
        metadata=course_data.metadata, actor=actor, request=request,
    )  # fmt: skip
    if course.currency != course_data.currency.lower():
        course.currency = course_data.currency.lower()
        course.save(update_fields=["currency"])
    if course_data.thumbnail:
        with package.spooled(course_data.thumbnail) as image:
            png = _checked(lambda: media.thumbnail_png(File(image, name="thumbnail.png")), course_data.thumbnail)
        course = catalog_actions.do_set_thumbnail(course, png, actor=actor, request=request)
    new_lessons = [
        catalog_actions.NewLesson(
            day=lesson.day, title=lesson.title, content_markdown=lesson.content_markdown,
            duration_minutes=lesson.duration_minutes, is_preview=lesson.is_preview, needs_review=lesson.needs_review,
            video=_store_video(package, course, lesson.day, lesson.video, stored) if lesson.video else "",
        )
        for lesson in data.lessons
    ]  # fmt: skip
    saved = {lesson.day: lesson for lesson in catalog_actions.do_add_lessons(course, new_lessons)}
    for lesson in data.lessons:
        target = saved[lesson.day]
        if lesson.video_url:
            Lesson.objects.filter(pk=target.pk).update(video_url=lesson.video_url)
        for caption in lesson.captions:
            _put_captions(package, target, caption, actor=actor, request=request)
        if lesson.quiz is not None:
            try:
                do_put_quiz(actor, target, _quiz_spec(lesson.quiz), needs_review=lesson.quiz.needs_review,
                            request=request)  # fmt: skip
            except InvalidQuiz as error:
                raise InvalidPackage(f"momentum.json: the quiz of day {lesson.day}: {error}", "bad_quiz") from None
    course.refresh_from_db()
    return ImportResult(course=course, format=MOMENTUM)


def _checked(check: Any, name: str) -> Any:
    """Run a catalogue media check; its 413/422 becomes the package's 422 naming the file."""
    try:
        return check()
    except Problem as problem:
        raise InvalidPackage(f"{name!r}: {problem.detail}", "bad_media") from None


def _store_video(package: Package, course: Course, day: int, name: str, stored: list[str]) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    with package.spooled(name) as video:
        upload = File(video, name=f"day-{day}.{extension}")
        _checked(lambda: media.check_video(upload), name)
        now = timezone.now()
        saved = default_storage.save(f"videos/{now:%Y}/{now:%m}/{course.slug}-day-{day}.{extension}", upload)
    stored.append(saved)
    return saved


def _put_captions(
    package: Package, lesson: Lesson, caption: package_format.CaptionData, *, actor: User,
    request: HttpRequest | None,
) -> None:  # fmt: skip
    language = language_tags.standard(caption.language)
    if language is None:
        raise InvalidPackage(f"{caption.language[:40]!r} is not a BCP 47 language tag", "bad_captions")
    with package.spooled(caption.file) as track:
        vtt = _checked(lambda: media.caption_webvtt(File(track, name=posixpath.basename(caption.file))), caption.file)
    from momentum.catalog.models import CaptionSource

    catalog_actions.do_put_caption_track(
        lesson, language=language, vtt=vtt, source=CaptionSource(caption.source), actor=actor, request=request
    )


# --- A Common Cartridge from another LMS ------------------------------------------------------


WEBLINK_PREFIX = "imswl_xmlv1p"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def _import_cartridge(
    package: Package, *, actor: User, category: Category | None, request: HttpRequest | None
) -> ImportResult:
    manifest = cartridge.read_manifest(safe_xml.parse(package.read(MANIFEST), MANIFEST))
    if not manifest.modules:
        raise InvalidPackage("imsmanifest.xml organizes no items (no module, week or topic to make a day of)",
                             "no_items")  # fmt: skip
    warnings: list[str] = []
    if len(manifest.modules) > MAX_DAYS:
        raise InvalidPackage(
            f"the cartridge has {len(manifest.modules)} modules; a Momentum course has at most {MAX_DAYS} days",
            "too_many_modules",
        )
    duration = next(days for days in DURATIONS if days >= len(manifest.modules))
    course = catalog_actions.do_create_course(
        title=(manifest.title or "Imported course")[:500], category=_default_category(category),
        duration_days=duration, description=manifest.description[:20_000], title_card=True, actor=actor,
        request=request,
    )  # fmt: skip
    lessons: list[catalog_actions.NewLesson] = []
    quizzes: dict[int, qti.ReadQuiz] = {}
    for day, module in enumerate(manifest.modules, start=1):
        reading = _DayReading(day=day, warnings=warnings)
        for title, reference in module.leaves:
            resource = manifest.resources.get(reference)
            if resource is None:
                warnings.append(f"Day {day}: the item {title!r} points at no resource; skipped")
                continue
            _read_leaf(package, resource, title, reading, several=len(module.leaves) > 1)
        title = (module.title or (module.leaves[0][0] if module.leaves else "") or f"Day {day}")[:500]
        lessons.append(catalog_actions.NewLesson(
            day=day, title=title, content_markdown="\n\n".join(text for text in reading.texts if text).strip(),
            duration_minutes=10,
        ))  # fmt: skip
        if reading.quiz.questions:
            quizzes[day] = reading.quiz
    saved = {lesson.day: lesson for lesson in catalog_actions.do_add_lessons(course, lessons)}
    for day, quiz in quizzes.items():
        spec = QuizSpec(questions=tuple(quiz.questions), pass_percent=DEFAULT_PASS_PERCENT,
                        max_attempts=quiz.max_attempts)  # fmt: skip
        do_put_quiz(actor, saved[day], spec, needs_review=True, request=request)
    course.refresh_from_db()
    return ImportResult(course=course, format=COMMON_CARTRIDGE, warnings=warnings)


@dataclass
class _DayReading:
    """What the items of one module add up to: the day's lesson text and quiz, and the warnings."""

    day: int
    warnings: list[str]
    texts: list[str] = field(default_factory=list)
    quiz: qti.ReadQuiz = field(default_factory=qti.ReadQuiz)


def _read_leaf(package: Package, resource: cartridge.ReadResource, title: str, reading: _DayReading, *,
               several: bool) -> None:  # fmt: skip
    """Add what one of a module's items holds to its day: page or link text, or quiz questions."""
    kind = resource.type.lower()
    label = f"Day {reading.day}, {title or resource.identifier!r}"
    if kind == cartridge.WEBCONTENT:
        _read_page(package, resource, title, reading, label, several=several)
    elif kind.startswith(WEBLINK_PREFIX):
        name = resource.files[0] if resource.files else resource.href
        link_title, url = cartridge.weblink(safe_xml.parse(package.read(name), name))
        if url.lower().startswith(("http://", "https://")):
            reading.texts.append(f"- [{link_title or title or url}]({url})")
        else:
            reading.warnings.append(f"{label}: the web link is not an http(s) address; skipped")
    elif "assessment" in kind and kind.startswith("imsqti"):
        _read_quiz(package, resource, reading, label)
    else:
        reading.warnings.append(
            f"{label}: a {resource.type or 'typeless'} resource has no Momentum equivalent; skipped"
        )


def _read_page(package: Package, resource: cartridge.ReadResource, title: str, reading: _DayReading, label: str, *,
               several: bool) -> None:  # fmt: skip
    page = resource.href or next((name for name in resource.files if name.lower().endswith(HTML_SUFFIXES)), "")
    if not page.lower().endswith(HTML_SUFFIXES):
        reading.warnings.append(f"{label}: files ({page or 'no launch file'}) are not imported; skipped")
        return
    body = html_text.to_markdown(_html_body(package.text(page)))
    heading = f"## {title}\n\n" if several and title else ""
    reading.texts.append(heading + body)


def _read_quiz(package: Package, resource: cartridge.ReadResource, reading: _DayReading, label: str) -> None:
    name = resource.files[0] if resource.files else resource.href
    if not name:
        reading.warnings.append(f"{label}: the assessment names no QTI file; skipped")
        return
    read = qti.read_assessment(safe_xml.parse(package.read(name), name), label)
    reading.warnings.extend(read.warnings)
    room = MAX_QUESTIONS - len(reading.quiz.questions)
    if len(read.questions) > room:
        reading.warnings.append(f"{label}: a quiz holds at most {MAX_QUESTIONS} questions; the rest are skipped")
    reading.quiz.questions.extend(read.questions[:room])
    reading.quiz.max_attempts = reading.quiz.max_attempts or read.max_attempts


def _html_body(text: str) -> str:
    """The inside of ``<body>`` when the page has one (the head's title and styles are not content)."""
    lower = text.lower()
    start = lower.find("<body")
    if start == -1:
        return text
    start = lower.find(">", start) + 1
    end = lower.rfind("</body>")
    return text[start : end if end != -1 else len(text)]
