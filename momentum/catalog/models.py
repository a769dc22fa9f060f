"""What there is to learn: categories, courses, their daily lessons (with their caption tracks)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import Exact, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from momentum.lib.timestamps import Timestamped

DURATIONS = (7, 14, 21)
MAX_DAYS = max(DURATIONS)
DEFAULT_LANGUAGE = "en"
MAX_LANGUAGE_CODE = 3  # an ISO 639 code: the primary subtag of a BCP 47 tag ("en", "es", "ar", "haw")


class Category(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    color = models.CharField(max_length=7, help_text="Primary colour, #rrggbb")
    accent = models.CharField(max_length=7, help_text="Secondary colour, #rrggbb")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=Q(Exact(Length("color"), 7)) & Q(color__startswith="#"), name="category_color_hex"
            ),
            models.CheckConstraint(
                condition=Q(Exact(Length("accent"), 7)) & Q(accent__startswith="#"), name="category_accent_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    BEGINNER = "BEGINNER", _("Beginner")
    INTERMEDIATE = "INTERMEDIATE", _("Intermediate")
    ADVANCED = "ADVANCED", _("Advanced")


class Status(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    PUBLISHED = "PUBLISHED", _("Published")
    ARCHIVED = "ARCHIVED", _("Archived")


class Pacing(models.TextChoices):
    """DAILY: day N opens at the learner's local midnight N-1 days after their start
    (momentum/learning/pacing.py); SELF_PACED: every day is open from enrolment."""

    DAILY = "DAILY", _("One day a day")
    SELF_PACED = "SELF_PACED", _("Self-paced")


class Course(Timestamped):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="courses")
    duration_days = models.PositiveSmallIntegerField(choices=[(d, f"{d} days") for d in DURATIONS])
    level = models.CharField(max_length=12, choices=Level, default=Level.BEGINNER)
    status = models.CharField(max_length=9, choices=Status, default=Status.DRAFT)
    # db_default too: rows written by raw SQL or a restore of an older dump get the same pacing.
    pacing = models.CharField(max_length=10, choices=Pacing, default=Pacing.DAILY, db_default=Pacing.DAILY)
    # What the course is written in: a language code (lib.language_tags.language_code), any language,
    # not only the interface's; the catalogue filters by it and shows the caller's language first.
    language = models.CharField(max_length=MAX_LANGUAGE_CODE, default=DEFAULT_LANGUAGE, db_default=DEFAULT_LANGUAGE)
    is_premium = models.BooleanField(default=False)
    price_cents = models.PositiveIntegerField(default=0, help_text="One-time price of a premium course")
    currency = models.CharField(max_length=3, default="usd")
    thumbnail = models.ImageField(upload_to="thumbnails/%Y/%m/", blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who runs the course with the admins: its creator (null: site-owned, admins only) and the
    # co-instructors the owner adds (CourseInstructor). momentum/catalog/staff.py decides from these.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_courses"
    )
    # An instructor asked to publish on a site where an admin approves: the course waits, still a
    # draft (or archived), in the admins' approval queue until an admin publishes it or it is edited
    # back out of it by a new request. Never set on a published course.
    publish_requested_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    # Kept by database triggers on lesson and enrollment inserts and deletes.
    lesson_count = models.PositiveSmallIntegerField(default=0, editable=False)
    enrollment_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(duration_days__in=DURATIONS), name="course_duration_7_14_21"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="course_status_valid"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="course_level_valid"),
            models.CheckConstraint(condition=Q(pacing__in=Pacing.values), name="course_pacing_valid"),
            # The full check (a registered ISO 639 code) is langcodes'; the database holds the shape:
            # 2-3 lowercase characters, no separator.
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(2, Length("language")))
                & Q(LessThanOrEqual(Length("language"), MAX_LANGUAGE_CODE))
                & Q(Exact(Lower("language"), F("language")))
                & ~Q(language__contains=" ")
                & ~Q(language__contains="-")
                & ~Q(language__contains="_"),
                name="course_language_code",
            ),
            models.CheckConstraint(condition=Q(price_cents__gte=0), name="course_price_not_negative"),
            models.CheckConstraint(
                condition=Q(is_premium=False) | Q(price_cents__gt=0), name="course_premium_has_price"
            ),
            models.CheckConstraint(condition=Q(Exact(Length("currency"), 3)), name="course_currency_iso"),
            models.CheckConstraint(condition=~Q(title=""), name="course_title_not_empty"),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="course_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(publish_requested_at__isnull=True) | ~Q(status=Status.PUBLISHED),
                name="course_published_not_awaiting_approval",
            ),
        ]
        indexes = [
            # The catalogue lists published courses filtered by category/duration/level and
            # sorted newest, popular or by title.
            models.Index(fields=["status", "-created_at"], name="course_status_newest"),
            models.Index(fields=["status", "-enrollment_count"], name="course_status_popular"),
            models.Index(fields=["status", "title"], name="course_status_title"),
            models.Index(fields=["status", "category", "-created_at"], name="course_status_category"),
            models.Index(fields=["status", "duration_days", "-created_at"], name="course_status_duration"),
            models.Index(fields=["status", "level", "-created_at"], name="course_status_level"),
            models.Index(fields=["status", "language", "-created_at"], name="course_status_language"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class CourseInstructor(models.Model):
    """A co-instructor of a course: an INSTRUCTOR the course's owner (or an admin) added to run it too."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="co_instructors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="co_instructed")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["course", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="course_instructor_once"),
        ]
        indexes = [models.Index(fields=["user", "course"], name="course_instructor_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} teaches {self.course_id}"


class Lesson(Timestamped):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    day = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=500)
    content_markdown = models.TextField(blank=True)
    video = models.FileField(upload_to="videos/%Y/%m/", blank=True)
    video_url = models.URLField(max_length=1000, blank=True, help_text="An external video, when not uploaded")
    duration_minutes = models.PositiveSmallIntegerField(default=10)
    is_preview = models.BooleanField(default=False)
    # A generated lesson (and its quiz) waits for an admin's review: an edit or "reviewed" clears it,
    # and a course with any such lesson cannot be published.
    needs_review = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["course", "day"]
        constraints = [
            models.UniqueConstraint(fields=["course", "day"], name="lesson_one_per_course_day"),
            # day <= the course's duration_days is a trigger (it spans two tables).
            models.CheckConstraint(condition=Q(day__gte=1, day__lte=MAX_DAYS), name="lesson_day_in_range"),
            models.CheckConstraint(condition=Q(duration_minutes__lte=600), name="lesson_duration_bounded"),
            models.CheckConstraint(condition=~Q(title=""), name="lesson_title_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} day {self.day}: {self.title}"

    @property
    def has_video(self) -> bool:
        return bool(self.video) or bool(self.video_url)


class CaptionSource(models.TextChoices):
    UPLOADED = "UPLOADED", "Uploaded"
    GENERATED = "GENERATED", "Generated from the narration"


MAX_CAPTION_CHARS = 2_000_000
MAX_LANGUAGE_TAG = 35  # RFC 5646 §4.4.1


class CaptionTrack(Timestamped):
    """A lesson's captions in one language (a BCP 47 tag, in its standard form), as WebVTT text.
    One track per lesson and language: uploading again replaces it."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(max_length=MAX_LANGUAGE_TAG)
    source = models.CharField(max_length=9, choices=CaptionSource, default=CaptionSource.UPLOADED)
    vtt = models.TextField()

    class Meta:
        ordering: ClassVar = ["lesson", "language"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "language"], name="caption_one_per_lesson_language"),
            models.CheckConstraint(condition=Q(source__in=CaptionSource.values), name="caption_source_valid"),
            # The full BCP 47 check is langcodes' (lib.language_tags); the database holds the shape:
            # 2-35 characters, subtags joined by single hyphens, no spaces or underscores.
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(2, Length("language")))
                & Q(LessThanOrEqual(Length("language"), MAX_LANGUAGE_TAG))
                & ~Q(language__contains=" ")
                & ~Q(language__contains="_")
                & ~Q(language__contains="--")
                & ~Q(language__startswith="-")
                & ~Q(language__endswith="-"),
                name="caption_language_tag_shape",
            ),
            models.CheckConstraint(condition=Q(vtt__startswith="WEBVTT"), name="caption_is_webvtt"),
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("vtt"), MAX_CAPTION_CHARS)), name="caption_vtt_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"lesson {self.lesson_id} captions ({self.language})"
