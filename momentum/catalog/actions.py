"""Writes of the catalogue: courses, lessons, publishing, archiving. Each records its audit event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from momentum.accounts.models import NotificationKind, Role, User
from momentum.audit.actions import do_record_audit
from momentum.catalog.audit_actions import AuditAction
from momentum.catalog.models import (
    DEFAULT_LANGUAGE,
    DURATIONS,
    CaptionSource,
    CaptionTrack,
    Category,
    Course,
    CourseInstructor,
    Lesson,
    Level,
    Pacing,
    Status,
)
from momentum.lib import language_tags
from momentum.lib.problems import Conflict, Invalid, NotFound
from momentum.lib.slugs import unique_slug
from momentum.sitesettings.models import InstructorPublishing
from momentum.sitesettings.queries import site_settings


@transaction.atomic
def do_create_course(
    *,
    title: str,
    category: Category,
    duration_days: int,
    description: str = "",
    level: Level | str = Level.BEGINNER,
    pacing: Pacing | str = Pacing.DAILY,
    language: str = DEFAULT_LANGUAGE,
    is_premium: bool = False,
    price_cents: int = 0,
    slug: str | None = None,
    metadata: dict[str, Any] | None = None,
    title_card: bool = False,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Course:
    """A new draft. ``title_card``: give it the local thumbnail provider's title card, as generated
    courses get one (for courses made by hand in the studio or through the API)."""
    course = Course.objects.create(
        slug=slug or unique_slug(title, Course.objects.all()),
        title=title,
        description=description,
        category=category,
        duration_days=duration_days,
        level=level,
        pacing=pacing,
        language=_language(language),
        is_premium=is_premium,
        price_cents=price_cents,
        metadata=metadata or {},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        owner=actor if getattr(actor, "is_authenticated", False) else None,
    )
    do_record_audit(
        AuditAction.COURSE_CREATED, actor=actor, resource=course, request=request, metadata={"title": title}
    )
    if title_card:
        course = do_set_thumbnail(course, render_course_title_card(course), actor=actor, request=request)
    return course


def render_course_title_card(course: Course) -> bytes:
    """The title card of the local thumbnail provider, in the course's category colours."""
    from momentum.generation.providers.offline.title_card import render_title_card

    return render_title_card(
        course.title,
        category=course.category.name,
        color=course.category.color,
        accent=course.category.accent,
        subtitle=f"{course.duration_days} days · {Level(course.level).label}",
    )


@transaction.atomic
def do_upsert_lesson(course: Course, *, day: int, actor: User | None = None, **fields: Any) -> Lesson:
    """The course's lesson for ``day``, created or updated with ``fields``."""
    lesson, created = Lesson.objects.update_or_create(course=course, day=day, defaults=fields)
    do_record_audit(
        AuditAction.LESSON_CREATED if created else AuditAction.LESSON_UPDATED,
        actor=actor,
        resource=lesson,
        metadata={"course_id": course.pk, "day": day},
    )
    return lesson


@dataclass(frozen=True)
class NewLesson:
    """A lesson of a course being made (a generated draft); ``video`` names a file in media storage."""

    day: int
    title: str
    content_markdown: str
    duration_minutes: int
    is_preview: bool = False
    video: str = ""
    needs_review: bool = False  # a generated lesson: True until an admin reviews it
    captions: str = ""  # WebVTT of the video's narration (lib.captions), in ``captions_language``
    captions_language: str = "en"


@transaction.atomic
def do_add_lessons(course: Course, lessons: Iterable[NewLesson]) -> list[Lesson]:
    """A new course's lessons, saved in one transaction (the course's own audit entry covers them)."""
    saved = []
    for new in lessons:
        lesson = Lesson(
            course=course,
            day=new.day,
            title=new.title,
            content_markdown=new.content_markdown,
            duration_minutes=new.duration_minutes,
            is_preview=new.is_preview,
            needs_review=new.needs_review,
        )
        if new.video:
            lesson.video.name = new.video
        lesson.save()
        if new.captions:
            CaptionTrack.objects.create(
                lesson=lesson, language=new.captions_language, vtt=new.captions, source=CaptionSource.GENERATED
            )
        saved.append(lesson)
    return saved


def missing_days(course: Course) -> list[int]:
    present = set(course.lessons.values_list("day", flat=True))
    return [day for day in range(1, course.duration_days + 1) if day not in present]


def unreviewed_days(course: Course) -> list[int]:
    """The days whose lesson or quiz was generated and has not been reviewed by an admin yet."""
    from momentum.assessments.queries import lessons_with_unreviewed_quiz

    days = set(course.lessons.filter(needs_review=True).values_list("day", flat=True))
    return sorted(days | set(lessons_with_unreviewed_quiz(course)))


def needs_approval(actor: User | None) -> bool:
    """Whether ``actor``'s publish only asks an admin to publish (the site's instructor setting)."""
    if actor is None or actor.is_admin:
        return False
    return site_settings().instructor_publishing == InstructorPublishing.APPROVAL


@transaction.atomic
def do_publish_course(course: Course, *, actor: User | None = None, request: HttpRequest | None = None) -> Course:
    """Publish a course that has exactly one lesson for each of its days, every one reviewed.

    An instructor on a site where an admin approves asks instead: the course (checked the same
    way) keeps its status and waits in the admins' approval queue (``publish_requested_at``);
    the admins are notified; an admin's publish approves it."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    gaps = missing_days(course)
    if gaps:
        days = ", ".join(str(day) for day in gaps)
        raise Conflict(
            "incomplete_course",
            ngettext(
                "A %(length)s-day course needs a lesson for every day; day %(days)s is missing.",
                "A %(length)s-day course needs a lesson for every day; days %(days)s are missing.",
                len(gaps),
            )
            % {"length": course.duration_days, "days": days},
            missing_days=gaps,
        )
    unreviewed = unreviewed_days(course)
    if unreviewed and course.status != Status.PUBLISHED:
        listed = ", ".join(str(day) for day in unreviewed)
        raise Conflict(
            "unreviewed_lessons",
            ngettext(
                "Generated drafts need an admin's review before learners see them; the lesson or quiz of "
                "day %(days)s has not been reviewed. Edit them or mark them reviewed, then publish.",
                "Generated drafts need an admin's review before learners see them; the lesson or quiz of "
                "days %(days)s have not been reviewed. Edit them or mark them reviewed, then publish.",
                len(unreviewed),
            )
            % {"days": listed},
            days=unreviewed,
        )
    if course.status != Status.PUBLISHED and needs_approval(actor):
        if course.publish_requested_at is None:
            course.publish_requested_at = timezone.now()
            course.save(update_fields=["publish_requested_at", "updated_at"])
            do_record_audit(AuditAction.COURSE_PUBLISH_REQUESTED, actor=actor, resource=course, request=request)
            _tell_admins_of_request(course, actor)
        return course
    if course.status != Status.PUBLISHED:
        course.status = Status.PUBLISHED
        course.published_at = course.published_at or timezone.now()
        course.archived_at = None
        course.publish_requested_at = None
        course.save(update_fields=["status", "published_at", "archived_at", "publish_requested_at", "updated_at"])
        do_record_audit(AuditAction.COURSE_PUBLISHED, actor=actor, resource=course, request=request)
    return course


def _tell_admins_of_request(course: Course, actor: User | None) -> None:
    from momentum.accounts.actions import do_notify
    from momentum.accounts.queries import active_admins

    url = reverse("catalog:studio_course", args=[course.pk])
    who = actor.name if actor is not None else "An instructor"
    for admin in active_admins():
        do_notify(
            admin, kind=NotificationKind.PUBLISH_REQUESTED, title=f"“{course.title}” awaits your approval",
            body=f"{who} asked to publish it. Publishing it approves it.", url=url, once=True,
        )  # fmt: skip


@transaction.atomic
def do_add_co_instructor(
    course: Course, user: User, *, actor: User | None = None, request: HttpRequest | None = None
) -> CourseInstructor:
    """Let another INSTRUCTOR run ``course`` too (audited, and they are told); 422 for an account
    that is not an active instructor, 409 ``already_course_staff`` for its owner or a co-instructor."""
    if not (user.is_active and user.role == Role.INSTRUCTOR):
        raise Invalid("email", _("no active instructor account has this address"), rule="instructor")
    if course.owner_id == user.pk:
        raise Conflict("already_course_staff", _("This instructor owns the course."))
    try:
        with transaction.atomic():
            row = CourseInstructor.objects.create(course=course, user=user, added_by=actor)
    except IntegrityError:
        raise Conflict("already_course_staff", _("This instructor already teaches this course.")) from None
    do_record_audit(
        AuditAction.COURSE_CO_INSTRUCTOR_ADDED, actor=actor, resource=course, request=request,
        metadata={"user_id": user.pk},
    )  # fmt: skip
    from momentum.accounts.actions import do_notify

    do_notify(
        user, kind=NotificationKind.CO_INSTRUCTOR_ADDED, title=f"You now teach “{course.title}”",
        body="It is in your studio's course list.", url=reverse("catalog:studio_course", args=[course.pk]),
    )  # fmt: skip
    return row


@transaction.atomic
def do_remove_co_instructor(
    course: Course, user_id: int, *, actor: User | None = None, request: HttpRequest | None = None
) -> None:
    """Take ``course`` out of a co-instructor's hands (audited); 404 when they are not one."""
    deleted, _rows = CourseInstructor.objects.filter(course=course, user_id=user_id).delete()
    if not deleted:
        raise NotFound(_("This account is not a co-instructor of this course."))
    do_record_audit(
        AuditAction.COURSE_CO_INSTRUCTOR_REMOVED, actor=actor, resource=course, request=request,
        metadata={"user_id": user_id},
    )  # fmt: skip


def do_set_thumbnail(
    course: Course, png: bytes, *, actor: User | None = None, request: HttpRequest | None = None
) -> Course:
    """Store a new thumbnail image for the course (the old file is removed)."""
    old = course.thumbnail.name if course.thumbnail else None
    course.thumbnail.save(f"{course.slug}.png", ContentFile(png), save=False)
    course.save(update_fields=["thumbnail", "updated_at"])
    if old and old != course.thumbnail.name:
        course.thumbnail.storage.delete(old)
    do_record_audit(AuditAction.COURSE_THUMBNAIL_CHANGED, actor=actor, resource=course, request=request)
    return course


# --- Authoring: update, archive, delete, lessons by day -------------------------------------

COURSE_FIELDS = (
    "title", "description", "category", "duration_days", "level", "pacing", "language", "is_premium", "price_cents",
)  # fmt: skip
LESSON_FIELDS = ("day", "title", "content_markdown", "video_url", "duration_minutes", "is_preview")


def _language(tag: str) -> str:
    """``tag`` as a course's language code; a field error when it is not one."""
    code = language_tags.language_code(str(tag))
    if code is None:
        raise Invalid(
            "language", f"{str(tag)[:40]!r} is not a language code (ISO 639, e.g. en, es, ar)", rule="language"
        )
    return code


def _check_course_fields(course: Course) -> None:
    """The rules a course's own fields must follow, as field errors (the database holds them too)."""
    course.language = _language(course.language)
    if not course.title.strip():
        raise Invalid("title", _("must not be empty"), rule="required")
    if course.duration_days not in DURATIONS:
        raise Invalid("duration_days", _("must be 7, 14 or 21"), rule="choice")
    if course.level not in Level.values:
        raise Invalid("level", _("must be one of %(levels)s") % {"levels": ", ".join(Level.values)}, rule="choice")
    if course.is_premium and course.price_cents <= 0:
        raise Invalid("price_cents", _("a premium course needs a price above 0"), rule="premium_needs_price")


@transaction.atomic
def do_update_course(
    course: Course, *, actor: User | None = None, request: HttpRequest | None = None, **changes: Any
) -> Course:
    """Change a course's metadata. A course never shrinks below its lessons, and a published
    course never grows days that have no lesson (it would stop being complete)."""
    unknown = set(changes) - set(COURSE_FIELDS)
    if unknown:
        raise ValueError(f"not course fields: {sorted(unknown)}")
    course = Course.objects.select_for_update().get(pk=course.pk)
    before = {name: getattr(course, name) for name in changes}
    for name, value in changes.items():
        setattr(course, name, value)
    _check_course_fields(course)
    if "duration_days" in changes and course.duration_days != before["duration_days"]:
        beyond = sorted(day for day in course.lessons.values_list("day", flat=True) if day > course.duration_days)
        if beyond:
            raise Conflict(
                "lessons_beyond_duration",
                _("A %(length)s-day course cannot keep lessons for day %(days)s; move or delete them first.")
                % {"length": course.duration_days, "days": ", ".join(str(day) for day in beyond)},
                days=beyond,
            )
        if course.status == Status.PUBLISHED:
            gaps = missing_days(course)
            if gaps:
                raise Conflict(
                    "incomplete_course",
                    _(
                        "A published course must keep a lesson for every day; day %(days)s would have none. "
                        "Write those lessons in a draft copy or archive the course first."
                    )
                    % {"days": ", ".join(map(str, gaps))},
                    missing_days=gaps,
                )
    changed = {
        name: [_plain(before[name]), _plain(getattr(course, name))]
        for name in changes
        if before[name] != getattr(course, name)
    }
    if changed:
        course.save(update_fields=[*changed, "updated_at"])
        do_record_audit(
            AuditAction.COURSE_UPDATED, actor=actor, resource=course, request=request, metadata={"changed": changed}
        )
    return course


def _plain(value: Any) -> Any:
    """A value as the audit trail stores it (JSON)."""
    if isinstance(value, Category):
        return value.slug
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


@transaction.atomic
def do_archive_course(course: Course, *, actor: User | None = None, request: HttpRequest | None = None) -> Course:
    """Take a course out of the catalogue; enrolled learners keep their progress. Publishing it
    again brings it back."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status != Status.ARCHIVED:
        previous = course.status
        course.status = Status.ARCHIVED
        course.archived_at = timezone.now()
        course.save(update_fields=["status", "archived_at", "updated_at"])
        do_record_audit(
            AuditAction.COURSE_ARCHIVED,
            actor=actor,
            resource=course,
            request=request,
            metadata={"previous_status": previous},
        )
    return course


@transaction.atomic
def do_delete_course(course: Course, *, actor: User | None = None, request: HttpRequest | None = None) -> Course | None:
    """Remove a draft; a published course is archived instead (learners and payments refer to it).
    Returns the archived course, or None when the draft was removed."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status != Status.DRAFT:
        return do_archive_course(course, actor=actor, request=request)
    if course.payments.exists() or course.enrollments.exists():
        raise Conflict(
            "course_in_use", _("This draft has learners or payments attached; archive it instead of removing it.")
        )
    thumbnail = course.thumbnail.name if course.thumbnail else None
    videos = list(course.lessons.exclude(video="").values_list("video", flat=True))
    do_record_audit(
        AuditAction.COURSE_DELETED,
        actor=actor,
        resource=course,
        request=request,
        metadata={"title": course.title, "slug": course.slug, "lessons": course.lesson_count},
    )
    course.delete()
    storage = Course._meta.get_field("thumbnail").storage
    transaction.on_commit(lambda: _delete_files(storage, [name for name in [thumbnail, *videos] if name]))
    return None


def _delete_files(storage: Any, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def _check_day(course: Course, day: int) -> None:
    if not 1 <= day <= course.duration_days:
        raise Invalid(
            "day",
            _("must be between 1 and %(duration_days)s for this course") % {"duration_days": course.duration_days},
            rule="range",
        )


def _check_lesson_fields(lesson: Lesson) -> None:
    if not lesson.title.strip():
        raise Invalid("title", _("must not be empty"), rule="required")
    if not 0 <= lesson.duration_minutes <= 600:
        raise Invalid("duration_minutes", _("must be between 0 and 600"), rule="range")
    if lesson.video_url:  # never fetched by the server (the learner's browser plays it): its form is checked, no DNS
        from momentum.lib.safe_urls import check_url_form

        check_url_form(lesson.video_url, field="video_url")


def _day_taken(course: Course, day: int) -> Conflict:
    return Conflict(
        "day_taken",
        _("Day %(day)s of this course already has a lesson; move or delete it first.") % {"day": day},
        day=day,
    )


@transaction.atomic
def do_create_lesson(
    course: Course,
    *,
    day: int,
    title: str,
    content_markdown: str = "",
    video_url: str = "",
    duration_minutes: int = 10,
    is_preview: bool = False,
    reviewed: bool = True,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Lesson:
    """A new lesson for a free day of the course (409 ``day_taken`` otherwise); one an admin writes
    is reviewed unless it says ``reviewed=False``."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    _check_day(course, day)
    lesson = Lesson(
        course=course,
        day=day,
        title=title,
        content_markdown=content_markdown,
        video_url=video_url,
        duration_minutes=duration_minutes,
        is_preview=is_preview,
        needs_review=not reviewed,
    )
    _check_lesson_fields(lesson)
    if course.lessons.filter(day=day).exists():
        raise _day_taken(course, day)
    try:
        with transaction.atomic():
            lesson.save()
    except IntegrityError:  # another request took the day between the check and the insert
        raise _day_taken(course, day) from None
    do_record_audit(
        AuditAction.LESSON_CREATED,
        actor=actor,
        resource=lesson,
        request=request,
        metadata={"course_id": course.pk, "day": day},
    )
    return lesson


@transaction.atomic
def do_update_lesson(
    lesson: Lesson,
    *,
    reviewed: bool | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
    **changes: Any,
) -> Lesson:
    """Change a lesson; a new ``day`` must be free (409 ``day_taken``). An admin's edit is a review:
    it clears ``needs_review`` (and the quiz's), as ``reviewed=True`` does; ``reviewed=False``
    asks for a review again."""
    unknown = set(changes) - set(LESSON_FIELDS)
    if unknown:
        raise ValueError(f"not lesson fields: {sorted(unknown)}")
    course = Course.objects.select_for_update().get(pk=lesson.course_id)
    lesson = Lesson.objects.get(pk=lesson.pk)
    before = {name: getattr(lesson, name) for name in changes}
    for name, value in changes.items():
        setattr(lesson, name, value)
    _check_lesson_fields(lesson)
    moved = "day" in changes and lesson.day != before["day"]
    if moved:
        _check_day(course, lesson.day)
        if course.lessons.filter(day=lesson.day).exclude(pk=lesson.pk).exists():
            raise _day_taken(course, lesson.day)
    changed = [name for name in changes if before[name] != getattr(lesson, name)]
    if changed:
        try:
            with transaction.atomic():
                lesson.save(update_fields=[*changed, "updated_at"])
        except IntegrityError:
            raise _day_taken(course, lesson.day) from None
        metadata: dict[str, Any] = {"course_id": course.pk, "day": lesson.day, "changed": changed}
        if moved:
            metadata["moved_from_day"] = before["day"]
        do_record_audit(AuditAction.LESSON_UPDATED, actor=actor, resource=lesson, request=request, metadata=metadata)
    if reviewed is False:
        if not lesson.needs_review:
            lesson.needs_review = True
            lesson.save(update_fields=["needs_review", "updated_at"])
            do_record_audit(
                AuditAction.LESSON_REVIEW_REQUESTED, actor=actor, resource=lesson, request=request,
                metadata={"course_id": course.pk, "day": lesson.day},
            )  # fmt: skip
    elif changed or reviewed:
        lesson = do_mark_lesson_reviewed(lesson, actor=actor, request=request)
    return lesson


@transaction.atomic
def do_mark_lesson_reviewed(lesson: Lesson, *, actor: User | None = None, request: HttpRequest | None = None) -> Lesson:
    """An admin has read the lesson and its quiz: neither needs review any more (audited once)."""
    from momentum.assessments.actions import do_mark_quiz_reviewed
    from momentum.assessments.queries import lessons_with_unreviewed_quiz

    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if lesson.needs_review or lesson.day in lessons_with_unreviewed_quiz(lesson.course):
        lesson.needs_review = False
        lesson.save(update_fields=["needs_review", "updated_at"])
        do_mark_quiz_reviewed(actor, lesson)
        do_record_audit(
            AuditAction.LESSON_REVIEWED, actor=actor, resource=lesson, request=request,
            metadata={"course_id": lesson.course_id, "day": lesson.day},
        )  # fmt: skip
    return lesson


@transaction.atomic
def do_delete_lesson(lesson: Lesson, *, actor: User | None = None, request: HttpRequest | None = None) -> None:
    """Remove a lesson from a draft or archived course; a published course keeps one per day."""
    course = Course.objects.select_for_update().get(pk=lesson.course_id)
    if course.status == Status.PUBLISHED:
        raise Conflict(
            "course_published",
            _(
                "A published course needs a lesson for every day, so day %(day)s cannot be removed; "
                "edit the lesson instead, or archive the course first."
            )
            % {"day": lesson.day},
        )
    video = lesson.video.name if lesson.video else None
    do_record_audit(
        AuditAction.LESSON_DELETED,
        actor=actor,
        resource=lesson,
        request=request,
        metadata={"course_id": course.pk, "day": lesson.day, "title": lesson.title},
    )
    lesson.delete()
    if video:
        storage = Lesson._meta.get_field("video").storage
        transaction.on_commit(lambda: _delete_files(storage, [video]))


@transaction.atomic
def do_set_lesson_video(
    lesson: Lesson, upload: File[Any], *, actor: User | None = None, request: HttpRequest | None = None
) -> Lesson:
    """Store an uploaded video (already checked by catalog.media) for the lesson; an external
    URL it had is dropped, as is its previous file."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    old = lesson.video.name if lesson.video else None
    extension = upload.name.rsplit(".", 1)[-1].lower() if upload.name and "." in upload.name else "mp4"
    lesson.video.save(f"{lesson.course.slug}-day-{lesson.day}.{extension}", upload, save=False)
    lesson.video_url = ""
    lesson.save(update_fields=["video", "video_url", "updated_at"])
    if old and old != lesson.video.name:
        storage = lesson.video.storage
        transaction.on_commit(lambda: _delete_files(storage, [old]))
    do_record_audit(
        AuditAction.LESSON_VIDEO_UPLOADED,
        actor=actor,
        resource=lesson,
        request=request,
        metadata={"course_id": lesson.course_id, "day": lesson.day, "bytes": upload.size},
    )
    return lesson


@transaction.atomic
def do_remove_lesson_video(lesson: Lesson, *, actor: User | None = None, request: HttpRequest | None = None) -> Lesson:
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    old = lesson.video.name if lesson.video else None
    if old or lesson.video_url:
        lesson.video = ""
        lesson.video_url = ""
        lesson.save(update_fields=["video", "video_url", "updated_at"])
        if old:
            storage = Lesson._meta.get_field("video").storage
            transaction.on_commit(lambda: _delete_files(storage, [old]))
        do_record_audit(
            AuditAction.LESSON_VIDEO_REMOVED,
            actor=actor,
            resource=lesson,
            request=request,
            metadata={"course_id": lesson.course_id, "day": lesson.day},
        )
    return lesson


# --- Captions ---------------------------------------------------------------------------------


@transaction.atomic
def do_put_caption_track(
    lesson: Lesson,
    *,
    language: str,
    vtt: str,
    source: CaptionSource = CaptionSource.UPLOADED,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> CaptionTrack:
    """The lesson's captions in ``language`` (a standard BCP 47 tag; WebVTT text already read by
    lib.captions): a new track, or the one it had in that language replaced."""
    Lesson.objects.select_for_update().filter(pk=lesson.pk).first()  # one writer per lesson at a time
    track, created = CaptionTrack.objects.update_or_create(
        lesson=lesson, language=language, defaults={"vtt": vtt, "source": source}
    )
    do_record_audit(
        AuditAction.LESSON_CAPTIONS_GENERATED if source == CaptionSource.GENERATED
        else AuditAction.LESSON_CAPTIONS_UPLOADED,
        actor=actor,
        resource=lesson,
        request=request,
        metadata={"course_id": lesson.course_id, "day": lesson.day, "language": language, "replaced": not created,
                  "characters": len(vtt)},
    )  # fmt: skip
    return track


@transaction.atomic
def do_delete_caption_track(
    lesson: Lesson, language: str, *, actor: User | None = None, request: HttpRequest | None = None
) -> bool:
    """Remove the lesson's captions in ``language``; False when it had none."""
    deleted, _rows = CaptionTrack.objects.filter(lesson=lesson, language=language).delete()
    if deleted:
        do_record_audit(
            AuditAction.LESSON_CAPTIONS_REMOVED,
            actor=actor,
            resource=lesson,
            request=request,
            metadata={"course_id": lesson.course_id, "day": lesson.day, "language": language},
        )
    return bool(deleted)
