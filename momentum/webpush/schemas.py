"""Schemas of the web push API: a browser's PushSubscription as PushSubscription.toJSON() gives it."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from ninja import Schema
from pydantic import Field, field_validator

from momentum.webpush.models import ENDPOINT_MAX_LENGTH


def _b64url_bytes(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError("must be base64url") from error


class SubscriptionKeys(Schema):
    p256dh: str = Field(min_length=86, max_length=88, description="The browser's P-256 public key, base64url")
    auth: str = Field(min_length=22, max_length=24, description="The 16-byte authentication secret, base64url")

    @field_validator("p256dh")
    @classmethod
    def _a_p256_point(cls, value: str) -> str:
        point = _b64url_bytes(value)
        if len(point) != 65 or point[0] != 4:
            raise ValueError("must be an uncompressed P-256 point (65 bytes)")
        return value.rstrip("=")

    @field_validator("auth")
    @classmethod
    def _sixteen_bytes(cls, value: str) -> str:
        if len(_b64url_bytes(value)) != 16:
            raise ValueError("must be 16 bytes")
        return value.rstrip("=")


class SubscriptionIn(Schema):
    endpoint: str = Field(min_length=12, max_length=ENDPOINT_MAX_LENGTH, description="The push service URL")
    keys: SubscriptionKeys


class EndpointIn(Schema):
    endpoint: str = Field(min_length=1, max_length=ENDPOINT_MAX_LENGTH)


class SubscriptionOut(Schema):
    id: int
    push_service: str
    created_at: datetime


class PublicKeyOut(Schema):
    enabled: bool
    public_key: str | None = Field(description="The VAPID applicationServerKey (base64url), null while push is off")
