"""Pages of the accounts app: profile, security, privacy and data, legal pages, cookie consent,
and the two allauth pages whose throttled answer must be a 429 with Retry-After."""

from __future__ import annotations

import json
from typing import Any

from allauth.account.views import LoginView
from allauth.mfa.base.views import AuthenticateView
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from momentum.accounts import actions, consent, queries, signin
from momentum.accounts.forms import (
    DeleteAccountForm,
    LanguageForm,
    MarkReadForm,
    NotificationPreferencesForm,
    ProfileForm,
)
from momentum.accounts.models import User
from momentum.accounts.policy import Access, page_access
from momentum.platform import languages


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (page_access let only signed-in accounts through)
    return user


# --- Profile ------------------------------------------------------------------------------------


@page_access(Access.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST":
        if form.is_valid():
            actions.do_update_profile(user, form.changes(), request=request)
            languages.activate_for(request, user)  # the confirmation in the language just chosen
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
        user.refresh_from_db()  # the form wrote the rejected values onto the instance
    return render(request, "accounts/profile.html", {"form": form}, status=422 if form.errors else 200)


@page_access(Access.AUTHENTICATED)
@require_GET
def security(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "mfa_enabled": signin.has_second_factor(user),
        "has_password": user.has_usable_password(),
        "events": queries.recent_security_events(user),
        "api_sessions": queries.active_api_sessions(user),
        "social_login": bool(settings.SOCIAL_PROVIDERS),
    }
    return render(request, "accounts/security.html", context)


@page_access(Access.AUTHENTICATED)
@require_POST
def end_api_sessions(request: HttpRequest) -> HttpResponse:
    ended = actions.do_revoke_refresh_tokens(_user(request), reason="user_request")
    messages.success(
        request,
        ngettext("Signed out of %(count)d app session.", "Signed out of %(count)d app sessions.", ended)
        % {"count": ended},
    )
    return redirect("accounts:security")


# --- Privacy and data ---------------------------------------------------------------------------


@page_access(Access.AUTHENTICATED)
@require_GET
def privacy_settings(request: HttpRequest) -> HttpResponse:
    return _privacy_page(request, DeleteAccountForm(user=_user(request)))


def _privacy_page(request: HttpRequest, delete_form: DeleteAccountForm, status: int = 200) -> HttpResponse:
    context = {
        "delete_form": delete_form,
        "consent": consent.choice(request),
        "has_password": _user(request).has_usable_password(),
    }
    return render(request, "accounts/privacy_settings.html", context, status=status)


@page_access(Access.AUTHENTICATED)
@require_POST
def export_data(request: HttpRequest) -> HttpResponse:
    document = actions.do_export_personal_data(_user(request), request=request)
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="momentum-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@page_access(Access.AUTHENTICATED)
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(request.POST, user=user)
    if form.is_valid():
        try:
            confirmed = signin.confirm_password(request, user, form.cleaned_data["password"])
        except signin.SignInThrottled as throttled:
            form.add_error("password", "Too many attempts. Wait a minute and try again.")
            response = _privacy_page(request, form, status=429)
            response["Retry-After"] = str(throttled.retry_after)
            return response
        if confirmed:
            actions.do_erase_account(user, request=request)
            request.session.flush()  # no sign-out event: nothing may tie the erased account to this browser
            messages.success(
                request, _("Your account and your personal data are deleted. Thank you for learning with us.")
            )
            return redirect("catalog:home")
        form.add_error("password", "That is not your password.")
    return _privacy_page(request, form, status=422)


# --- Legal pages and cookies --------------------------------------------------------------------


@page_access(Access.PUBLIC)
@require_GET
def privacy_policy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy_policy.html", {"retention_days": settings.AUDIT_RETENTION_DAYS})


@page_access(Access.PUBLIC)
@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/terms.html")


@page_access(Access.PUBLIC)
@require_POST
def cookie_consent(request: HttpRequest) -> HttpResponse:
    choice = request.POST.get("choice", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    # htmx swaps the notice for this empty answer; without JavaScript the browser goes back.
    response: HttpResponse = HttpResponse("") if request.htmx else HttpResponseRedirect(target)  # type: ignore[attr-defined]
    if choice in consent.CHOICES:
        consent.remember(response, choice, secure=request.is_secure())
    return response


@page_access(Access.PUBLIC)
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher (a plain form, no script): remembered in a cookie, and on the account."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return render(request, "errors/400.html", {"detail": _("Choose one of the languages offered.")}, status=400)
    language, target = form.cleaned_data["language"], form.cleaned_data["next"]
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if request.user.is_authenticated and isinstance(request.user, User):
        actions.do_update_profile(request.user, {"language": language}, request=request)
    response = HttpResponseRedirect(target if safe else "/")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )  # fmt: skip
    return response


# --- allauth pages that answer 429 when sign-in is throttled ------------------------------------


def _throttled(response: HttpResponse, retry_after: int) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    if isinstance(response, TemplateResponse) and response.context_data is not None:
        response.context_data["retry_after"] = retry_after
    return response


class ThrottledLoginView(LoginView):  # type: ignore[misc]
    """allauth's sign-in page; past the failed-attempt limits it answers 429 with Retry-After."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)
        if signin.is_throttle_error(form.errors.as_data().get("__all__", [])):
            email = str(form.data.get("login", "")).strip().lower()
            actions.do_record_sign_in_failure(email, request=self.request, reason="throttled")
            return _throttled(response, signin.retry_after(self.request, signin.account_key(self.request, email)))
        return response


class ThrottledAuthenticateView(AuthenticateView):  # type: ignore[misc]
    """allauth's second-factor page; past the failed-code limits it answers 429 with Retry-After."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)
        if signin.is_throttle_error(form.errors.as_data().get("code", [])):
            return _throttled(response, signin.retry_after(self.request, signin.second_factor_key(form.user)))
        return response


login = ThrottledLoginView.as_view()
mfa_authenticate = ThrottledAuthenticateView.as_view()


# --- Notifications ------------------------------------------------------------------------------

NOTIFICATIONS_PER_PAGE = 20


@page_access(Access.AUTHENTICATED)
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/notifications.html", _notification_list(request, request.GET.get("page")))


def _notification_list(request: HttpRequest, page_number: str | None) -> dict[str, Any]:
    page = Paginator(queries.notifications(_user(request)), NOTIFICATIONS_PER_PAGE).get_page(page_number)
    return {"page": page, "notices": list(page.object_list)}


@page_access(Access.AUTHENTICATED)
@require_POST
def read_notifications(request: HttpRequest) -> HttpResponse:
    """Mark one notice read (``id``) or all of them (no ``id``); htmx swaps the list and the bell."""
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That notice could not be found."))
        return redirect("accounts:notifications")
    notice_id = form.cleaned_data["id"]
    changed = actions.do_mark_notifications_read(_user(request), None if notice_id is None else [notice_id])
    if request.htmx:  # type: ignore[attr-defined]
        context = {**_notification_list(request, form.cleaned_data["page"]), "oob_bell": True}
        return render(request, "accounts/partials/notification_list.html", context)
    if notice_id is None:
        messages.success(
            request,
            ngettext("Marked %(count)d notice read.", "Marked %(count)d notices read.", changed) % {"count": changed},
        )
    page = form.cleaned_data["page"]
    return redirect(reverse("accounts:notifications") + (f"?page={page}" if page else ""))


@page_access(Access.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = NotificationPreferencesForm(request.POST or None, preferences=queries.notification_preferences(user))
    if request.method == "POST" and form.is_valid():
        actions.do_set_notification_preferences(user, form.choices())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("accounts:notification_settings")
    return render(request, "accounts/notification_settings.html", {"form": form})
