"""Input and output shapes of the accounts API (auth and /me), with their limits."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StrictInt

from momentum.accounts.models import NotificationKind
from momentum.lib.input_types import EmailAddress, JsonBool
from momentum.lib.pagination import PageParams


class RegisterIn(Schema):
    email: EmailAddress
    password: str = Field(min_length=1, max_length=4096)
    display_name: str = Field(default="", max_length=100)


class TokenIn(Schema):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=4096)
    otp_code: str | None = Field(default=None, max_length=64, description="TOTP or recovery code, when MFA is on")


class TokenPairOut(Schema):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"  # noqa: S105
    expires_in: int = Field(description="Seconds until the access token expires")


class RefreshIn(Schema):
    refresh_token: str = Field(min_length=1, max_length=200)


class VerifyEmailIn(Schema):
    key: str = Field(min_length=1, max_length=500, description="The last path segment of the emailed link")


class VerifyEmailOut(Schema):
    email: str
    email_verified: bool


class PasswordResetIn(Schema):
    email: str = Field(min_length=1, max_length=254)


class AcceptedOut(Schema):
    detail: str


class Demographics(Schema):
    age_range: str = Field(default="", max_length=10)
    gender: str = Field(default="", max_length=12)
    country: str = Field(default="", max_length=2)
    education: str = Field(default="", max_length=12)
    occupation: str = Field(default="", max_length=100)


class LanguageOut(Schema):
    code: str = Field(description="BCP 47 tag, the value of `language` in PATCH /me and of Accept-Language")
    name: str = Field(description="The language's name in itself")
    direction: Literal["ltr", "rtl"]


class UserOut(Schema):
    id: int
    email: str
    display_name: str
    role: str
    email_verified: bool


class MeOut(UserOut):
    mfa_enabled: bool
    language: str = Field(description="An interface language code of GET /languages, or blank: the browser's")
    timezone: str
    reminder_emails: bool
    demographics: Demographics
    created_at: datetime


class MePatch(Schema):
    display_name: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=16, description="A code of GET /languages, or blank")
    timezone: str | None = Field(default=None, max_length=64, description="An IANA time zone, such as Europe/Madrid")
    reminder_emails: JsonBool | None = None
    demographics: Demographics | None = None

    def changes(self) -> dict[str, Any]:
        """The fields the caller sent, flattened to the user's columns."""
        sent = self.model_dump(exclude_unset=True)
        demographics = sent.pop("demographics", None) or {}
        if self.demographics is not None:
            demographics = self.demographics.model_dump(exclude_unset=True)
        return {k: v for k, v in {**sent, **demographics}.items() if v is not None}


class PasswordConfirmIn(Schema):
    password: str = Field(min_length=1, max_length=4096)


class PersonalDataOut(Schema):
    """The export document: one section per kind of data (momentum/accounts/gdpr.py gathers them)."""

    format_version: int
    exported_at: datetime
    user_id: int
    profile: dict[str, Any]
    email_addresses: list[dict[str, Any]]
    linked_accounts: list[dict[str, Any]]
    two_factor: list[dict[str, Any]]
    api_sessions: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    enrollments: list[dict[str, Any]]
    progress: list[dict[str, Any]]
    certificates: list[dict[str, Any]]
    badge_credentials: list[dict[str, Any]]
    quiz_attempts: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    comment_reports: list[dict[str, Any]]
    badges: list[dict[str, Any]]
    payments: list[dict[str, Any]]
    subscriptions: list[dict[str, Any]]
    entitlements: list[dict[str, Any]]
    generation_jobs: list[dict[str, Any]]
    learning_events: list[dict[str, Any]]
    audit_events: list[dict[str, Any]]
    push_subscriptions: list[dict[str, Any]]
    push_settings: dict[str, Any]
    push_messages: list[dict[str, Any]]
    xapi_actor_name: str | None
    xapi_statements: list[dict[str, Any]]


class ProblemOut(Schema):
    """An RFC 9457 problem document (application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[dict[str, Any]] | None = None


# --- Notifications ----------------------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="One of the kinds of GET /me/notification-preferences")
    title: str
    body: str
    url: str = Field(description="Where the notice leads (a path on this site), or empty")
    created_at: datetime
    read_at: datetime | None


class NotificationQuery(PageParams):
    unread: bool = Field(False, description="Only the notices not read yet")


class NotificationsReadIn(Schema):
    ids: list[Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]] | None = Field(
        default=None, max_length=500, description="The notices to mark read; all of the caller's when omitted"
    )


class NotificationPreferenceIO(Schema):
    kind: NotificationKind
    in_app: JsonBool
    email: JsonBool
    push: JsonBool = Field(description="Sent only where an app has a push channel (web push)")


class NotificationPreferencesOut(Schema):
    items: list[NotificationPreferenceIO]


class NotificationPreferencesIn(Schema):
    items: list[NotificationPreferenceIO] = Field(
        max_length=len(NotificationKind), description="The kinds to change; kinds not named keep their channels"
    )
