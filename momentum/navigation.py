"""The site's menus. Entries whose page does not exist (its URL name does not resolve) are skipped."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

from momentum.accounts.policy import Access, passes


@dataclass(frozen=True)
class Entry:
    label: str | _StrPromise
    url_name: str
    access: Access = Access.PUBLIC
    unless: Access | None = None  # hidden from whoever passes this access (an admin has their own entry)


MAIN = [
    Entry(_("Courses"), "catalog:list"),
    Entry(_("Dashboard"), "learning:dashboard", Access.AUTHENTICATED),
    Entry(_("Studio"), "analytics:studio_dashboard", Access.ADMIN),
    # An instructor's studio is their courses (and generating them): the rest is the admins'.
    Entry(_("Studio"), "catalog:studio_courses", Access.COURSE_STAFF, unless=Access.ADMIN),
]

PROFILE = [
    Entry(_("Profile"), "accounts:profile", Access.AUTHENTICATED),
    Entry(_("Security"), "accounts:security", Access.AUTHENTICATED),
    Entry(_("Notifications"), "accounts:notification_settings", Access.AUTHENTICATED),
    Entry(_("Credentials"), "credentials:wallet", Access.AUTHENTICATED),
    Entry(_("Payments"), "billing:payment_history", Access.AUTHENTICATED),
    Entry(_("Reminders"), "webpush:settings", Access.AUTHENTICATED),
    Entry(_("Privacy and data"), "accounts:privacy_settings", Access.AUTHENTICATED),
]

STUDIO = [
    Entry(_("Dashboard"), "analytics:studio_dashboard", Access.ADMIN),
    Entry(_("Courses"), "catalog:studio_courses", Access.COURSE_STAFF),
    Entry(_("Generate"), "generation:studio_generate", Access.COURSE_STAFF),
    Entry(_("Moderation"), "discussions:studio_queue", Access.COURSE_STAFF),
    Entry(_("Users"), "accounts:studio_users", Access.ADMIN),
    Entry(_("Analytics"), "analytics:studio_analytics", Access.ADMIN),
    Entry(_("Payments"), "billing:studio_payments", Access.ADMIN),
    Entry(_("Certificates"), "credentials:studio_certificates", Access.ADMIN),
    Entry(_("LTI platforms"), "lti:studio_platforms", Access.ADMIN),
    Entry(_("Audit log"), "audit:studio_audit", Access.ADMIN),
    Entry(_("Operations"), "observability:studio_ops", Access.ADMIN),
    Entry(_("Settings"), "sitesettings:studio_settings", Access.ADMIN),
]


@cache
def _url(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def _visible(request: HttpRequest, entries: list[Entry]) -> list[dict[str, Any]]:
    user = request.user
    items = []
    for entry in entries:
        url = _url(entry.url_name)
        if url is None:
            continue
        if entry.access is not Access.PUBLIC and (not user.is_authenticated or not passes(user, entry.access)):
            continue
        if entry.unless is not None and user.is_authenticated and passes(user, entry.unless):
            continue
        current = request.path == url or (url not in ("/", "/studio/") and request.path.startswith(url))
        items.append({"label": str(entry.label), "url": url, "current": current})  # in the page's language
    return items


def menus(request: HttpRequest) -> dict[str, Any]:
    """Context processor: each menu as a memoised callable (templates call it), so a page works
    out only the menus it draws (every page the main one; the studio and profile pages theirs)."""
    return {
        "main_menu": cache(lambda: _visible(request, MAIN)),
        "studio_menu": cache(lambda: _visible(request, STUDIO)),
        "profile_menu": cache(lambda: _visible(request, PROFILE)),
        "on_profile_page": request.path.startswith("/profile/"),
    }
