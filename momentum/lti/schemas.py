"""Schemas of the LTI API: platform registrations (admins) and a course's class lists (its staff)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field, field_validator

_URL = r"^https?://[^\s/?#@]+[^\s]*$"


class PlatformIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    issuer: str = Field(min_length=1, max_length=255, pattern=_URL, description="the platform's iss, an http(s) URL")
    client_id: str = Field(min_length=1, max_length=255, pattern=r"^\S+$")
    auth_login_url: str = Field(max_length=500, pattern=_URL)
    auth_token_url: str = Field(max_length=500, pattern=_URL)
    keyset_url: str = Field(max_length=500, pattern=_URL)
    auth_audience: str = Field(default="", max_length=500)
    deployment_ids: list[str] = Field(min_length=1, max_length=50, description="one or more deployment IDs")

    @field_validator("deployment_ids")
    @classmethod
    def _deployment_ids(cls, value: list[str]) -> list[str]:
        cleaned = [item.strip() for item in value]
        if any(not item or len(item) > 255 or "\x00" in item for item in cleaned):
            raise ValueError("each deployment ID has 1 to 255 characters")
        return cleaned

    @field_validator("name", "client_id", "auth_audience")
    @classmethod
    def _no_nul(cls, value: str) -> str:
        if "\x00" in value:
            raise ValueError("must not contain a NUL character")
        return value.strip()


class PlatformOut(Schema):
    id: int
    name: str
    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    keyset_url: str
    auth_audience: str
    deployment_ids: list[str]
    created_at: datetime
    updated_at: datetime


class MemberOut(Schema):
    user_id: str
    name: str
    email: str
    status: str
    instructor: bool


class ClassListOut(Schema):
    platform: str
    context: str
    error: str = Field(description="the platform's answer when it could not be read; empty otherwise")
    members: list[MemberOut]
