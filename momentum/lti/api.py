"""The LTI tool's API (mounted under /api/v1): platform registrations for admins (the studio's LTI page
as operations, audited alike) and the class lists a course's staff read from its platforms (NRPS)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.responses import Status

from momentum.accounts.policy import Access, api_access, caller
from momentum.catalog.queries import staffed_course_or_404
from momentum.lti import actions, queries
from momentum.lti.schemas import ClassListOut, PlatformIn, PlatformOut
from momentum.platform.api_problems import problems

router = Router(tags=["lti"])
NOT_FOUND = {404: "`not_found`: no platform has this id"}


def _out(platform: Any) -> dict[str, Any]:
    return {
        **{name: getattr(platform, name) for name in ("id", "created_at", "updated_at", *actions.PLATFORM_FIELDS)},
        "deployment_ids": [d.deployment_id for d in platform.deployments.all()],
    }


@router.get("/admin/lti/platforms", response=list[PlatformOut], auth=api_access(Access.ADMIN))
def list_platforms(request: HttpRequest) -> list[dict[str, Any]]:
    """Every registered LTI platform, by name."""
    return [_out(platform) for platform in queries.platforms()]


@router.post(
    "/admin/lti/platforms",
    response={201: PlatformOut},
    auth=api_access(Access.ADMIN),
    openapi_extra=problems({409: "`platform_exists`: this issuer and client ID are registered already"}),
)
def register_platform(request: HttpRequest, body: PlatformIn) -> Status[Any]:
    """Register a platform (audited). Launches from it are accepted from its deployments only."""
    fields = body.model_dump(exclude={"deployment_ids"})
    platform = actions.do_save_platform(None, fields, body.deployment_ids, actor=caller(request), request=request)
    return Status(201, _out(queries.platform_or_404(platform.pk)))


@router.get(
    "/admin/lti/platforms/{platform}",
    response=PlatformOut,
    auth=api_access(Access.ADMIN),
    openapi_extra=problems(NOT_FOUND),
)
def get_platform(request: HttpRequest, platform: int) -> dict[str, Any]:
    return _out(queries.platform_or_404(platform))


@router.put(
    "/admin/lti/platforms/{platform}",
    response=PlatformOut,
    auth=api_access(Access.ADMIN),
    openapi_extra=problems({**NOT_FOUND, 409: "`platform_exists`: another registration has this issuer and client ID"}),
)
def update_platform(request: HttpRequest, platform: int, body: PlatformIn) -> dict[str, Any]:
    """Replace a registration and its deployment IDs (audited)."""
    existing = queries.platform_or_404(platform)
    fields = body.model_dump(exclude={"deployment_ids"})
    actions.do_save_platform(existing, fields, body.deployment_ids, actor=caller(request), request=request)
    return _out(queries.platform_or_404(platform))


@router.delete(
    "/admin/lti/platforms/{platform}",
    response={204: None},
    auth=api_access(Access.ADMIN),
    openapi_extra=problems(NOT_FOUND),
)
def delete_platform(request: HttpRequest, platform: int) -> HttpResponse:
    """Remove a registration (audited): its launches are refused from then on; linked accounts stay."""
    actions.do_delete_platform(queries.platform_or_404(platform), actor=caller(request), request=request)
    return HttpResponse(status=204)


@router.get("/courses/{course}/lti/members", response=list[ClassListOut], auth=api_access(Access.COURSE_STAFF))
def course_members(request: HttpRequest, course: str) -> list[Any]:
    """The members of every LMS course (context) that opened this course, read now from each platform (NRPS)."""
    found = staffed_course_or_404(request.user, course)
    return queries.class_lists(found.pk)
