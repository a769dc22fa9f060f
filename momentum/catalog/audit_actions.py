"""The audit actions of the catalogue (courses and lessons): the ``action`` of their AuditLog rows.

One member per audited change, so every place that records it is greppable; the values are the
strings stored in the audit log (never rename one: existing rows and their filters keep them).
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    COURSE_ARCHIVED = "course.archived"
    COURSE_CO_INSTRUCTOR_ADDED = "course.co_instructor_added"
    COURSE_CO_INSTRUCTOR_REMOVED = "course.co_instructor_removed"
    COURSE_CREATED = "course.created"
    COURSE_DELETED = "course.deleted"
    COURSE_PUBLISH_REQUESTED = "course.publish_requested"
    COURSE_PUBLISHED = "course.published"
    COURSE_THUMBNAIL_CHANGED = "course.thumbnail_changed"
    COURSE_UPDATED = "course.updated"
    LESSON_CAPTIONS_GENERATED = "lesson.captions_generated"
    LESSON_CAPTIONS_REMOVED = "lesson.captions_removed"
    LESSON_CAPTIONS_UPLOADED = "lesson.captions_uploaded"
    LESSON_CREATED = "lesson.created"
    LESSON_DELETED = "lesson.deleted"
    LESSON_REVIEW_REQUESTED = "lesson.review_requested"
    LESSON_REVIEWED = "lesson.reviewed"
    LESSON_UPDATED = "lesson.updated"
    LESSON_VIDEO_REMOVED = "lesson.video_removed"
    LESSON_VIDEO_UPLOADED = "lesson.video_uploaded"
