"""Shapes of the credentials operations (the certificate rows of the API contract)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from momentum.credentials.actions import REASON_MAX_LENGTH


class CourseRef(Schema):
    id: int
    slug: str
    title: str


class MyCertificateOut(Schema):
    id: UUID
    course: CourseRef
    issued_at: datetime
    revoked_at: datetime | None
    verify_url: str
    pdf_url: str
    credential_url: str
    credential_jwt_url: str


class CertificateOut(Schema):
    id: UUID
    status: Literal["valid", "revoked"]
    learner_name: str
    course_title: str
    issued_at: datetime
    revoked_at: datetime | None


class RevokeIn(Schema):
    reason: str = Field(..., min_length=1, max_length=REASON_MAX_LENGTH, description="Why it is revoked (audited)")


class RevokedOut(Schema):
    id: UUID
    kind: Literal["CERTIFICATE", "BADGE"]
    status: Literal["valid", "revoked"]
    revoked_at: datetime | None
    revoke_reason: str
