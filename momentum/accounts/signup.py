"""The sign-up page never tells whether an address has an account (allauth's enumeration prevention).

allauth prevents enumeration at sign-up only when email verification is mandatory; ours is
optional (an unverified learner may sign in, but not enrol or buy). So sign-up alone runs
allauth's mandatory flow: a new account is not signed in but sent its verification link, and an
address that has an account gets allauth's "account already exists" mail instead; both answers
are the same "Verify your email address" page. Following the link signs the new learner in.

The API's POST /auth/register keeps its documented 409 ``email_taken`` (API.md).
"""

from __future__ import annotations

from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm
from allauth.account.internal.flows.login import perform_login
from allauth.account.internal.flows.signup import complete_signup
from allauth.account.models import Login
from allauth.account.utils import get_next_redirect_url
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

MANDATORY = app_settings.EmailVerificationMethod.MANDATORY


class MomentumSignupForm(SignupForm):  # type: ignore[misc]
    def validate_unique_email(self, value: str) -> str:
        try:
            return str(super().validate_unique_email(value))
        except ValidationError as error:
            if error.code != "email_taken":
                raise
            self.account_already_exists = True  # answered like a new address below
            return str(get_adapter().clean_email(value))

    def try_save(self, request: HttpRequest) -> tuple[Any, HttpResponse]:
        if self.account_already_exists:
            email = self.cleaned_data["email"]
            return None, perform_login(
                request, Login(user=None, email=email, signup=True, email_verification=MANDATORY)
            )
        user = self.save(request)
        redirect_url = get_next_redirect_url(request) or get_adapter().get_signup_redirect_url(request)
        return user, complete_signup(request, user=user, email_verification=MANDATORY, redirect_url=redirect_url)
