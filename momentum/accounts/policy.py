"""The one authorisation policy: every page and API operation declares who may call it.

API operations pass ``auth=api_access(Access.X)``; pages are wrapped with ``@page_access(Access.X)``.
A test walks every URL pattern and every OpenAPI operation and fails on an undeclared one.

    PUBLIC         anyone; the caller is still identified when signed in (admins see drafts)
    AUTHENTICATED  any signed-in, active account
    VERIFIED       signed in with a verified email address (enrol, buy)
    PREMIUM        signed in with the PREMIUM or ADMIN role
    ADMIN          signed in with the ADMIN role
    COURSE_STAFF   signed in with the ADMIN or INSTRUCTOR role; the operation then names its course
                   with ``momentum.catalog.queries.staffed_course_or_404`` (or, holding the course,
                   ``momentum.catalog.staff.require_course_staff``), which answers 403
                   ``not_course_owner`` to anyone but an admin, the course's owner or a co-instructor
    OWNER          signed in; the action itself checks the object belongs to the caller
    PROVIDER       no account: the request proves itself with a provider signature
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

from momentum.accounts import tokens
from momentum.accounts.models import User
from momentum.lib.problems import Problem
from momentum.platform import languages, request_limits


class Access(StrEnum):
    PUBLIC = "public"
    AUTHENTICATED = "authenticated"
    VERIFIED = "verified"
    PREMIUM = "premium"
    ADMIN = "admin"
    COURSE_STAFF = "course_staff"
    OWNER = "owner"
    PROVIDER = "provider"


SIGNED_IN = {
    Access.AUTHENTICATED, Access.VERIFIED, Access.PREMIUM, Access.ADMIN, Access.COURSE_STAFF, Access.OWNER
}  # fmt: skip
STAFF = {Access.ADMIN, Access.COURSE_STAFF}  # the studio's accesses: rate-limited per account


class NotCourseOwner(Problem):
    """403 ``not_course_owner``: a course-staff operation on a course the caller does not run.

    Raised by ``momentum.catalog.staff.require_course_staff``; an API operation answers it as
    problem+json, a page (``page_access``) as the 403 page."""

    def __init__(self) -> None:
        super().__init__(
            403, "not_course_owner", "Only this course's owner, its co-instructors and admins may do this."
        )


# What each access asks of a signed-in user, and the refusal's code and sentence when they lack it.
_RULES: dict[Access, tuple[Callable[[User], bool], str, Any]] = {
    Access.ADMIN: (lambda user: user.is_admin, "admin_required", _("This needs an admin account.")),
    Access.COURSE_STAFF: (
        lambda user: user.is_admin or user.is_instructor,
        "instructor_required",
        _("This needs an instructor or admin account."),
    ),
    Access.PREMIUM: (lambda user: user.is_premium, "premium_required", _("This needs a premium plan.")),
    Access.VERIFIED: (
        lambda user: user.email_verified,
        "email_unverified",
        _("Verify your email address first; we sent you a link."),
    ),
}


def passes(user: User, access: Access) -> bool:
    """Whether a signed-in user may pass ``access`` (the menus ask it of every entry, on every page:
    no refusal is put into words for them)."""
    rule = _RULES.get(access)
    return rule is None or rule[0](user)


def refusal(user: User, access: Access) -> Problem | None:
    """Why a signed-in user may not pass ``access``, or None when they may."""
    if passes(user, access):
        return None
    _rule, code, sentence = _RULES[access]
    return Problem(403, code, sentence)


def _authorise(request: HttpRequest, user: User, access: Access) -> User:
    request.user = user
    languages.activate_for(request, user)  # a bearer-token caller is known only now
    problem = refusal(user, access)
    if problem is not None:
        raise problem
    if access in STAFF:
        retry_after = request_limits.admin_retry_after(user.pk)
        if retry_after is not None:
            raise request_limits.rate_limited_problem(retry_after)
    return user


def invalid_token(detail: str | _StrPromise) -> Problem:
    """401 for a bearer token that is not (or no longer) good: malformed, forged, expired or revoked."""
    return Problem(
        401, "invalid_token", detail, headers={"WWW-Authenticate": 'Bearer realm="momentum", error="invalid_token"'}
    )


class BearerToken(HttpBearer):
    """Authorization: Bearer <access token>.

    A request that sends a bearer token is judged by it alone: a token that is not good is 401
    ``invalid_token`` at once, never a fall back to the session cookie (and its CSRF check).
    Other schemes (``Basic``, from a proxy's password prompt) are left to the session cookie.
    """

    def __init__(self, access: Access) -> None:
        super().__init__()
        self.access = access

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            user = tokens.user_for_access_token(token.strip())
        except tokens.TokenExpired:
            raise invalid_token(_("The access token has expired; refresh it.")) from None
        if user is None:
            raise invalid_token(_("The access token is not valid (malformed, revoked or not ours); sign in again."))
        return _authorise(request, user, self.access)


class SessionCookie(APIKeyCookie):
    """The browser's session cookie; unsafe methods also need the CSRF token.

    Authentication is decided before CSRF: a request with no session (no cookie, or one whose
    session has ended) is not authenticated (401), and only a signed-in session is asked for the
    CSRF token (403 ``csrf_failed``). django-ninja's own order (CSRF first) answered 403 to
    callers that had sent no credentials at all.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, access: Access) -> None:
        super().__init__(csrf=True)
        self.access = access

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if not key or user is None or not user.is_authenticated or not user.is_active:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check Failed")
        return _authorise(request, user, self.access)


class Anyone:
    """Lets every caller through, identifying the signed-in ones (by bearer token or session)."""

    access = Access.PUBLIC

    def __call__(self, request: HttpRequest) -> User | AnonymousUser:
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            try:
                user = tokens.user_for_access_token(header[7:].strip())
            except tokens.TokenExpired:
                user = None
            if user is not None:
                request.user = user
                languages.activate_for(request, user)
                return user
            request.user = AnonymousUser()
            return _Anonymous
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user  # type: ignore[no-any-return]
        return _Anonymous


class _AnonymousCaller(AnonymousUser):
    def __bool__(self) -> bool:  # ninja treats a falsy result as "not authenticated"
        return True


_Anonymous = _AnonymousCaller()


class ProviderSignature:
    """Marks an operation whose caller proves itself with a signature the action verifies."""

    access = Access.PROVIDER

    def __call__(self, request: HttpRequest) -> bool:
        return True


def caller(request: HttpRequest) -> User:
    """The signed-in account of a request that passed a signed-in ``Access`` (typed as ``User``)."""
    user = request.user
    if not isinstance(user, User):
        raise Problem(401, "not_authenticated", _("Sign in first."))
    return user


def api_access(access: Access) -> list[Any]:
    """The ``auth=`` value that declares and enforces ``access`` on a ninja operation."""
    if access is Access.PUBLIC:
        return [Anyone()]
    if access is Access.PROVIDER:
        return [ProviderSignature()]
    return [BearerToken(access), SessionCookie(access)]


def declared_access(auth_callbacks: Sequence[Any]) -> Access | None:
    levels = {getattr(callback, "access", None) for callback in auth_callbacks}
    return levels.pop() if len(levels) == 1 else None


# HttpResponseBase: a page may stream (a FileResponse: a course package download).
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def page_access(access: Access) -> Callable[[View], View]:
    """Declare and enforce who may open a page (function views)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if access in SIGNED_IN:
                user = request.user
                if not user.is_authenticated:
                    login = reverse(settings.LOGIN_URL)
                    return HttpResponseRedirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
                problem = refusal(user, access)
                if problem is not None:
                    return render(request, "errors/403.html", {"problem": problem}, status=403)
                if access in STAFF:
                    retry_after = request_limits.admin_retry_after(user.pk)
                    if retry_after is not None:
                        return request_limits.too_many_requests(request, retry_after)
            try:
                return view(request, *args, **kwargs)
            except NotCourseOwner as refused:
                return render(request, "errors/403.html", {"problem": refused}, status=403)

        wrapper.momentum_access = access  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


# Pages that other packages provide (by URL name, or by route when unnamed), with the access
# they enforce themselves: allauth requires a signed-in user where this says AUTHENTICATED.
_SIGNED_IN_ACCOUNT_PAGES = {
    "account_email", "account_change_password", "account_set_password", "account_reauthenticate",
    "mfa_index", "mfa_reauthenticate", "mfa_activate_totp", "mfa_deactivate_totp", "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes", "mfa_download_recovery_codes", "socialaccount_connections",
}  # fmt: skip
_PUBLIC_ACCOUNT_PAGES = {
    "account_login", "account_logout", "account_inactive", "account_signup", "account_email_verification_sent",
    "account_reset_password", "account_confirm_login_code", "account_confirm_email",
    "account_reset_password_from_key_done", "account_reset_password_from_key", "account_reset_password_done",
    "mfa_authenticate", "socialaccount_login_cancelled", "socialaccount_login_error", "socialaccount_signup",
    # social providers, present when their keys are configured (settings: SOCIAL_PROVIDERS)
    "google_login", "google_callback", "facebook_login", "facebook_callback", "facebook_login_by_token",
    "apple_login", "apple_callback", "apple_finish_callback",
    # allauth's redirects from its old URLs to the new ones
    "accounts/social/login/cancelled/", "accounts/social/login/error/", "accounts/social/signup/",
    "accounts/social/connections/",
    # django-ninja's OpenAPI document and its docs page
    "openapi-json", "openapi-view", "api-root",
}  # fmt: skip
THIRD_PARTY_PAGES: dict[str, Access] = {
    **dict.fromkeys(_PUBLIC_ACCOUNT_PAGES, Access.PUBLIC),
    **dict.fromkeys(_SIGNED_IN_ACCOUNT_PAGES, Access.AUTHENTICATED),
}
