"""The audit actions of generation (jobs and reference documents): the ``action`` of their AuditLog rows.

One member per audited change, so every place that records it is greppable; the values are the
strings stored in the audit log (never rename one: existing rows and their filters keep them).
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    GENERATION_COURSE_SAVED = "generation.course_saved"
    GENERATION_JOB_CANCELLED = "generation.job_cancelled"
    GENERATION_JOB_RETRIED = "generation.job_retried"
    GENERATION_JOB_STARTED = "generation.job_started"
    REFERENCE_DOCUMENT_UPLOADED = "reference_document.uploaded"
