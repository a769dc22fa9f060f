"""Pages of web push and the installable app: the push settings page, the click-through of a push, the
web app manifest and the service worker (served at the root, so its scope is the whole site)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from momentum.accounts.policy import Access, page_access
from momentum.lib.problems import Invalid
from momentum.webpush import actions, app_manifest, queries
from momentum.webpush.vapid import public_key

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


@page_access(Access.PUBLIC)
@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest (W3C Web Application Manifest): what makes the site installable."""
    response = JsonResponse(app_manifest.manifest(), content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@page_access(Access.PUBLIC)
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the root so that it controls every page (its scope is its folder)."""
    context = {"version": settings.PUSH_SW_VERSION, "icon": static("img/app-icon-192.png")}
    script = render_to_string("webpush/sw.js", context)
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # browsers look for a new worker on every navigation
    return response


@page_access(Access.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def push_settings(request: HttpRequest) -> HttpResponse:
    """Reminders on this device: the subscribe control and the learner's reminder hour."""
    if request.method == "POST" and _saved(request):
        return redirect("webpush:settings")
    status = 422 if request.method == "POST" else 200
    chosen = queries.settings_of(request.user)
    return render(request, "webpush/settings.html", _settings_page(request.user, chosen), status=status)


def _saved(request: HttpRequest) -> bool:
    """Resume pushes, or save the reminder hour; False (and a message) for an hour that is not one."""
    if request.POST.get("resume"):
        actions.do_resume_push(request.user)
        messages.success(request, _("Push reminders are back on."))
        return True
    raw = request.POST.get("reminder_hour", "")
    try:
        actions.do_set_reminder_hour(request.user, None if raw == "" else int(raw) if raw.isdigit() else -1)
    except Invalid:
        messages.error(request, _("Choose an hour of the day, from 00:00 to 23:00."))
        return False
    messages.success(request, _("Your reminder hour is saved."))
    return True


def _settings_page(user: Any, chosen: Any) -> dict[str, Any]:
    return {
        "chosen": chosen,
        "hours": HOURS,
        "site_hour": settings.REMINDER_HOUR,
        "public_key": public_key(),
        "subscriptions": list(queries.subscriptions_of(user)),
        "recent": queries.recent_messages(user),
        "ignored_limit": settings.PUSH_IGNORED_LIMIT,
    }


@page_access(Access.PUBLIC)  # the unguessable token in the address is the credential
@require_GET
def open_push(request: HttpRequest, token: str) -> HttpResponse:
    """Where a click on a push lands: count the click, then open the page the push was about."""
    message = actions.do_record_click(token)
    if message is None:
        return render(request, "errors/404.html", {"detail": _("This reminder link is not known.")}, status=404)
    return HttpResponseRedirect(message.url)
