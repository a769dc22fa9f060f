"""allauth's hooks into Momentum's accounts: who is created how, what is audited, which IP is the caller's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.forms import BaseForm
from django.http import HttpRequest
from django.urls import NoReverseMatch

from momentum.accounts import actions
from momentum.accounts.models import User
from momentum.platform.client_address import client_ip
from momentum.sitesettings import site_mail


@dataclass(frozen=True)
class SiteIdentity:
    """What allauth's email templates read as ``current_site``."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": "Too many failed sign-in attempts. Wait a while before you try again.",
        "email_password_mismatch": "The email address or the password is not correct.",
    }

    def save_user(self, request: HttpRequest, user: User, form: BaseForm, commit: bool = True) -> User:
        """Sign-up through the page: the same action as the API's register (audit, event, metric)."""
        data = form.cleaned_data
        return actions.do_create_user(
            data["email"],
            data.get("password1"),
            display_name=data.get("display_name", ""),
            request=request,
            sync_allauth_email=False,  # allauth creates the address row itself right after
        )

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        confirmed = bool(super().confirm_email(request, email_address))
        if confirmed:
            actions.do_mark_email_verified(email_address.user, email_address.email, request=request)
        return confirmed

    def format_email_subject(self, subject: str) -> str:
        """The subject as ``[<site name>] ...``: the site's name, never the request's host and port."""
        return site_mail.subject_line(str(subject))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's messages name the site as ours do: its templates read ``current_site``, which
        without the Sites framework is the request's host and port ("127.0.0.1:8100")."""
        identity = site_mail.site_context()
        site = SiteIdentity(name=identity["site_name"], domain=identity["site_name"])
        super().send_mail(template_prefix, email, {"current_site": site, **identity, **context})

    def add_message(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        """Flash messages are for pages; an API answer must not set a messages cookie."""
        if not request.path.startswith("/api/"):
            super().add_message(request, *args, **kwargs)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        actions.do_record_sign_in_failure(credentials.get("email", ""), request=request, reason="invalid_credentials")

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """The learner's dashboard; the home page while no app provides one."""
        try:
            return str(super().get_login_redirect_url(request))
        except NoReverseMatch:
            return "/"

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        try:
            return str(super().get_signup_redirect_url(request))
        except NoReverseMatch:
            return "/"

    def get_client_ip(self, request: HttpRequest) -> str:
        """The same address the audit log and our rate limits see (X-Forwarded-For behind our proxy)."""
        return client_ip(request) or "0.0.0.0"  # noqa: S104  (a placeholder key, never bound)


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]) -> User:
        user: User = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
        user.display_name = (name or "")[:100]
        return user

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: BaseForm | None = None) -> User:
        user: User = super().save_user(request, sociallogin, form)
        actions.do_record_social_signup(user, provider=sociallogin.account.provider, request=request)
        return user
