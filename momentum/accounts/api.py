"""The accounts app's API: auth and /me here; user administration (/admin/users) in admin_api.py."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from momentum.accounts import actions, queries, signin
from momentum.accounts.forms import ProfileForm
from momentum.accounts.models import Channel, User
from momentum.accounts.policy import Access, api_access, caller
from momentum.accounts.schemas import (
    AcceptedOut,
    LanguageOut,
    MeOut,
    MePatch,
    NotificationOut,
    NotificationPreferencesIn,
    NotificationPreferencesOut,
    NotificationQuery,
    NotificationsReadIn,
    PasswordConfirmIn,
    PasswordResetIn,
    PersonalDataOut,
    RefreshIn,
    RegisterIn,
    TokenIn,
    TokenPairOut,
    UserOut,
    VerifyEmailIn,
    VerifyEmailOut,
)
from momentum.lib.pagination import Page, paginate
from momentum.lib.problems import Invalid, Problem
from momentum.platform import languages
from momentum.platform.api_problems import problems

router = Router(tags=["accounts"])


@router.post(
    "/auth/register", response={201: UserOut}, auth=api_access(Access.PUBLIC),
    summary="Create an account (FREE, unverified) and send the verification email",
    openapi_extra=problems({
        409: "`email_taken`",
        422: "`weak_password`; `validation_error` (an address mail cannot go to)",
        429: "`rate_limited`: too many sign-ups; see Retry-After",
    }),
)  # fmt: skip
def register(request: HttpRequest, payload: RegisterIn) -> Status[User]:
    return Status(
        201, actions.do_register(payload.email, payload.password, display_name=payload.display_name, request=request)
    )


@router.post(
    "/auth/token", response={200: TokenPairOut}, auth=api_access(Access.PUBLIC),
    summary="Sign in: email and password (and otp_code when MFA is on) for an access and a refresh token",
    openapi_extra=problems({
        401: "`invalid_credentials`; `mfa_required` when two-factor is on and the code is missing or wrong",
        429: "`too_many_attempts`: repeated failed sign-ins; see Retry-After",
    }),
)  # fmt: skip
def token(request: HttpRequest, payload: TokenIn) -> actions.TokenPair:
    return actions.do_sign_in_with_password(payload.email, payload.password, payload.otp_code, request=request)


@router.post(
    "/auth/refresh", response={200: TokenPairOut}, auth=api_access(Access.PUBLIC),
    summary="Spend a refresh token for a new pair; a reused token revokes its whole family",
    openapi_extra=problems({
        401: "`invalid_token`, `token_revoked`, `token_expired`; `token_reused` (the whole family is revoked)",
    }),
)  # fmt: skip
def refresh(request: HttpRequest, payload: RefreshIn) -> actions.TokenPair:
    return actions.do_refresh_tokens(payload.refresh_token, request=request)


@router.post(
    "/auth/logout", response={204: None}, auth=api_access(Access.OWNER),
    summary="Revoke the caller's refresh token and its family",
)  # fmt: skip
def logout(request: HttpRequest, payload: RefreshIn) -> Status[None]:
    actions.do_sign_out_token(payload.refresh_token, caller(request), request=request)
    return Status(204, None)


@router.post(
    "/auth/verify-email", response={200: VerifyEmailOut}, auth=api_access(Access.PUBLIC),
    summary="Verify an email address with the key from the emailed link",
    openapi_extra=problems({422: "`invalid_key`: invalid, expired or used already"}),
)  # fmt: skip
def verify_email(request: HttpRequest, payload: VerifyEmailIn) -> dict[str, Any]:
    user = actions.do_verify_email(payload.key, request=request)
    return {"email": user.email, "email_verified": user.email_verified}


@router.post(
    "/auth/password-reset", response={202: AcceptedOut}, auth=api_access(Access.PUBLIC),
    summary="Email a password-reset link; the answer never tells if the account exists",
    openapi_extra=problems({
        422: "`validation_error`: not an email address",
        429: "`rate_limited`: too many resets for this address; see Retry-After",
    }),
)  # fmt: skip
def password_reset(request: HttpRequest, payload: PasswordResetIn) -> Status[dict[str, str]]:
    actions.do_request_password_reset(payload.email, request=request)
    return Status(202, {"detail": str(_("If an account uses this address, a reset link is on its way."))})


@router.get(
    "/languages", response=Page[LanguageOut], auth=api_access(Access.PUBLIC),
    summary="The interface languages, the site default first",
)  # fmt: skip
def list_languages(request: HttpRequest) -> dict[str, Any]:
    items = languages.interface_languages()
    return {"items": items, "count": len(items), "page": 1, "page_size": len(items)}


@router.get("/me", response=MeOut, auth=api_access(Access.AUTHENTICATED), summary="The caller's account")
def me(request: HttpRequest) -> dict[str, Any]:
    return queries.profile(caller(request))


@router.patch(
    "/me", response={200: MeOut}, auth=api_access(Access.AUTHENTICATED),
    summary="Change display name, language, time zone, reminder emails or demographics",
    openapi_extra=problems({422: "`validation_error`: an unknown language or time zone, an invalid field"}),
)  # fmt: skip
def update_me(request: HttpRequest, payload: MePatch) -> dict[str, Any]:
    user = caller(request)
    form = ProfileForm(data={**ProfileForm(instance=user).initial, **payload.changes()}, instance=user)
    if not form.is_valid():
        errors = [
            {"field": field, "message": str(message), "rule": "invalid"}
            for field, messages in form.errors.items()
            for message in messages
        ]
        raise Problem(
            422, "validation_error", "; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors
        )
    actions.do_update_profile(user, form.changes(), request=request)
    languages.activate_for(request, user)
    return queries.profile(user)


@router.get(
    "/me/export", response=PersonalDataOut, auth=api_access(Access.AUTHENTICATED),
    summary="Everything Momentum holds about the caller (GDPR access and portability)",
)  # fmt: skip
def export_me(request: HttpRequest) -> dict[str, Any]:
    return actions.do_export_personal_data(caller(request), request=request)


@router.delete(
    "/me", response={204: None}, auth=api_access(Access.AUTHENTICATED),
    summary="Delete the account (GDPR erasure): personal data erased, aggregates kept; needs the password",
    openapi_extra=problems({
        422: "`invalid_password`",
        429: "`too_many_attempts`: repeated wrong passwords; see Retry-After",
    }),
)  # fmt: skip
def delete_me(request: HttpRequest, payload: PasswordConfirmIn) -> Status[None]:
    user = caller(request)
    try:
        confirmed = signin.confirm_password(request, user, payload.password)
    except signin.SignInThrottled as throttled:
        raise Problem(429, "too_many_attempts", _("Too many attempts; wait a minute."),
                      headers={"Retry-After": str(throttled.retry_after)}) from None  # fmt: skip
    if not confirmed:
        raise Invalid("password", _("is not your password"), rule="password", code="invalid_password")
    actions.do_erase_account(user, request=request)
    return Status(204, None)


# --- Notifications ----------------------------------------------------------------------------


@router.get(
    "/me/notifications", response=Page[NotificationOut], auth=api_access(Access.AUTHENTICATED),
    summary="The caller's notices, newest first; unread=true for the unread ones only",
)  # fmt: skip
def my_notifications(request: HttpRequest, query: Query[NotificationQuery]) -> dict[str, Any]:
    return paginate(queries.notifications(caller(request), unread=query.unread), query)


@router.post(
    "/me/notifications/read", response={204: None}, auth=api_access(Access.AUTHENTICATED),
    summary="Mark notices read: those of ids (the caller's only), or every one when ids is omitted",
)  # fmt: skip
def read_notifications(request: HttpRequest, payload: NotificationsReadIn) -> Status[None]:
    actions.do_mark_notifications_read(caller(request), payload.ids)
    return Status(204, None)


@router.get(
    "/me/notification-preferences", response=NotificationPreferencesOut, auth=api_access(Access.AUTHENTICATED),
    summary="For every kind of notice, whether it reaches the caller in the app, by email and by push",
)  # fmt: skip
def notification_preferences(request: HttpRequest) -> dict[str, Any]:
    return {"items": queries.notification_preferences(caller(request))}


@router.patch(
    "/me/notification-preferences", response=NotificationPreferencesOut, auth=api_access(Access.AUTHENTICATED),
    summary="Choose the channels of the kinds named; the others keep theirs",
)  # fmt: skip
def update_notification_preferences(request: HttpRequest, payload: NotificationPreferencesIn) -> dict[str, Any]:
    user = caller(request)
    actions.do_set_notification_preferences(
        user,
        {item.kind: {Channel(c) for c in ("in_app", "email", "push") if getattr(item, c)} for item in payload.items},
    )
    return {"items": queries.notification_preferences(user)}


from momentum.accounts import admin_api  # noqa: E402, F401  (registers its operations)
