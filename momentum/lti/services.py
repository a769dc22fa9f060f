"""Calls from the tool to a platform's LTI Advantage services, through pylti1p3: the OAuth 2 client
credentials grant (a JWT signed by the tool key), then Assignment and Grade Services (scores) and
Names and Role Provisioning Services (the class list). Every call is bounded by
MOMENTUM_LTI_HTTP_TIMEOUT and goes to public addresses only (``platform_session``); errors surface
as ServiceError with the platform's answer."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from momentum.lib.outbound import session_to_public_hosts
from momentum.lti import claims
from momentum.lti.models import LtiPlatform
from momentum.lti.tool_config import registration_of


class ServiceError(RuntimeError):
    """A platform service refused or could not be reached. ``permanent`` when trying again cannot
    help (a 4xx answer other than 408 and 429)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def _permanent(error: Exception) -> bool:
    status = error.response.status_code if isinstance(error, LtiServiceException) else 0
    return 400 <= status < 500 and status not in (408, 429)


def platform_session() -> requests.Session:
    """For every request to a platform (its key set at a launch, its token endpoint, AGS, NRPS):
    public addresses only, checked as each connection opens (``lib/outbound.py``; a platform on
    a private network needs MOMENTUM_ALLOW_PRIVATE_MEDIA_URLS, as its registration does), each
    request bounded by MOMENTUM_LTI_HTTP_TIMEOUT."""
    return session_to_public_hosts(
        timeout=settings.LTI_HTTP_TIMEOUT_SECONDS,
        allow_private=settings.ALLOW_PRIVATE_MEDIA_URLS,
        user_agent="Momentum-LTI-Tool",
    )


def _connector(platform: LtiPlatform) -> ServiceConnector:
    return ServiceConnector(registration_of(platform), platform_session())


def _explain(error: Exception) -> str:
    if isinstance(error, LtiServiceException):
        return str(error)[:1000]
    return f"{type(error).__name__}: {error}"[:1000]


def post_score(
    platform: LtiPlatform, lineitem_url: str, scopes: list[str], *, user_sub: str, score: dict[str, Any]
) -> None:
    """POST one score (AGS 2.0 score service: <line item>/scores) for ``user_sub``."""
    grade = (
        Grade()
        .set_score_given(float(score["score_given"]))
        .set_score_maximum(float(score["score_maximum"]))
        .set_activity_progress(score["activity_progress"])
        .set_grading_progress(score["grading_progress"])
        .set_timestamp(score["timestamp"])
        .set_user_id(user_sub)
    )
    service_data: Any = {"scope": scopes, "lineitem": lineitem_url}
    service = AssignmentsGradesService(_connector(platform), service_data)
    try:
        service.put_grade(grade)
    except (LtiException, LtiServiceException, requests.RequestException) as error:
        raise ServiceError(_explain(error), permanent=_permanent(error)) from error


def class_list(platform: LtiPlatform, memberships_url: str) -> list[dict[str, Any]]:
    """Every member of a platform's context (NRPS 2.0, all pages)."""
    service_data: Any = {"context_memberships_url": memberships_url, "service_versions": ["2.0"]}
    service = NamesRolesProvisioningService(_connector(platform), service_data)
    try:
        members: list[dict[str, Any]] = [dict(member) for member in service.get_members()]
    except (LtiException, LtiServiceException, requests.RequestException, ValueError) as error:
        raise ServiceError(_explain(error)) from error
    return members


def member_is_instructor(member: dict[str, Any]) -> bool:
    roles = member.get("roles")
    return isinstance(roles, list) and any(role in claims.INSTRUCTOR_ROLES for role in roles)
