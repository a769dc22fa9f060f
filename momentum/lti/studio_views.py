"""Studio pages of the LTI tool: platform registrations (admins; audited) and a course's class
lists read from its platforms (the course's staff)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from momentum.accounts.policy import Access, caller, page_access
from momentum.catalog.queries import staffed_course_or_404
from momentum.lib.problems import NotFound, Problem
from momentum.lti import actions, keys, queries
from momentum.lti.forms import PlatformForm

if TYPE_CHECKING:
    from momentum.lti.models import LtiPlatform


def _platform(pk: int) -> LtiPlatform:
    try:
        return queries.platform_or_404(pk)
    except NotFound:
        raise Http404("No LTI platform has this id.") from None


def _tool_urls(request: HttpRequest) -> dict[str, str]:
    return {
        "login": request.build_absolute_uri(reverse("lti:login")),
        "launch": request.build_absolute_uri(reverse("lti:launch")),
        "jwks": request.build_absolute_uri(reverse("lti:jwks")),
    }


@page_access(Access.ADMIN)
@require_GET
def platforms(request: HttpRequest) -> HttpResponse:
    try:
        key_ready = bool(keys.tool_key())
    except keys.LtiKeysMissing:
        key_ready = False
    return render(
        request, "lti/studio/platforms.html",
        {"platforms": queries.platforms(), "tool": _tool_urls(request), "key_ready": key_ready,
         "scores": queries.recent_scores(20)},
    )  # fmt: skip


@page_access(Access.ADMIN)
@require_http_methods(["GET", "POST"])
def platform_form(request: HttpRequest, platform: int | None = None) -> HttpResponse:
    existing = _platform(platform) if platform is not None else None
    form = PlatformForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in actions.PLATFORM_FIELDS}
        try:
            actions.do_save_platform(
                existing, fields, form.cleaned_data["deployment_ids"], actor=caller(request), request=request
            )
        except Problem as problem:
            form.add_error("client_id", problem.detail)
        else:
            messages.success(request, _("The platform is registered."))
            return redirect("lti:studio_platforms")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "lti/studio/platform_form.html", {"form": form, "platform": existing, "tool": _tool_urls(request)},
        status=status,
    )  # fmt: skip


@page_access(Access.ADMIN)
@require_POST
def platform_delete(request: HttpRequest, platform: int) -> HttpResponse:
    actions.do_delete_platform(_platform(platform), actor=caller(request), request=request)
    messages.success(request, _("The platform is removed; its launches are refused from now on."))
    return redirect("lti:studio_platforms")


@page_access(Access.COURSE_STAFF)
@require_GET
def course_members(request: HttpRequest, pk: int) -> HttpResponse:
    course = staffed_course_or_404(request.user, pk)
    return render(request, "lti/studio/members.html", {"course": course, "class_lists": queries.class_lists(course.pk)})
