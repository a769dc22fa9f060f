"""Checking credentials with allauth's machinery, for the sign-in page and the API alike.

allauth's adapter counts every password attempt against the ``login_failed`` rate limit
(settings.ACCOUNT_RATE_LIMITS: per IP and per account), gives the attempt back when it succeeds,
and refuses further attempts once a limit is reached. Second-factor codes count against the same
limit under a per-account key. Page and API share the counters (they live in the cache), so
switching from one to the other gains an attacker nothing. These helpers add what allauth does
not say: how long until the next attempt is allowed (the Retry-After header).
"""

from __future__ import annotations

import math
import time

from allauth.account.adapter import get_adapter
from allauth.core import context
from allauth.core.internal.ratelimit import get_cache_key, get_rates
from allauth.mfa import signals as mfa_signals
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from momentum.accounts.models import User

THROTTLED = "too_many_login_attempts"


class SignInThrottled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"sign-in throttled for {retry_after} s")
        self.retry_after = retry_after


def account_key(request: HttpRequest, email: str) -> str:
    """allauth's ``login_failed`` key for a password attempt on ``email``."""
    return str(get_adapter(request)._get_login_attempts_cache_key(request, email=email))


def second_factor_key(user: User) -> str:
    return f"mfa-auth-user-{user.pk}"  # as allauth.mfa.base.internal.flows.check_rate_limit


def retry_after(request: HttpRequest, key: str) -> int:
    """Seconds until ``login_failed`` lets another attempt on ``key`` (or from this IP) through."""
    now = time.time()
    wait = 0.0
    for rate in get_rates(app="allauth.account", action="login_failed"):
        cache_key = get_cache_key(request, app="allauth.account", action="login_failed", rate=rate, key=key)
        live = sorted((t for t in cache.get(cache_key, []) if t > now - rate.duration), reverse=True)
        if len(live) >= rate.amount:
            wait = max(wait, live[rate.amount - 1] + rate.duration - now)
    return max(1, math.ceil(wait))


def is_throttle_error(errors: list[ValidationError]) -> bool:
    return any(error.code == THROTTLED for error in errors)


def check_password(request: HttpRequest, email: str, password: str) -> User | None:
    """The active user with this email and password, or None. Raises SignInThrottled past the limits."""
    adapter = get_adapter(request)
    try:
        with context.request_context(request):
            user = adapter.authenticate(request, email=email.strip().lower(), password=password)
    except ValidationError as error:
        if error.code == THROTTLED:
            raise SignInThrottled(retry_after(request, account_key(request, email.strip().lower()))) from None
        raise
    # allauth hands back a deactivated account too (its pages explain "inactive"); the API does not.
    return user if isinstance(user, User) and user.is_active else None


def has_second_factor(user: User) -> bool:
    return bool(is_mfa_enabled(user, [Authenticator.Type.TOTP]))


def check_second_factor(request: HttpRequest, user: User, code: str) -> bool:
    """A TOTP or recovery code, checked (and counted) exactly as on allauth's page."""
    with context.request_context(request):
        form = AuthenticateForm(data={"code": code}, user=user)
        if form.is_valid():
            form.authenticator.record_usage()  # allauth's page also records the sign-in in the session; no session here
            mfa_signals.authenticator_used.send(
                sender=Authenticator, request=request, user=user, authenticator=form.authenticator,
                reauthenticated=False, passwordless=False,
            )  # fmt: skip
            return True
    if is_throttle_error(form.errors.as_data().get("code", [])):
        raise SignInThrottled(retry_after(request, second_factor_key(user)))
    return False


def confirm_password(request: HttpRequest, user: User, password: str) -> bool:
    """Re-enter the password before something irreversible (allauth's ``reauthenticate`` limit applies)."""
    from allauth.core import ratelimit

    if not ratelimit.consume(request, action="reauthenticate", user=user):
        raise SignInThrottled(60)
    return user.has_usable_password() and user.check_password(password)
