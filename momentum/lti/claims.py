"""The claim names of LTI 1.3 messages (IMS LTI Core 1.3, Deep Linking 2.0, AGS 2.0, NRPS 2.0) we read."""

from __future__ import annotations

from typing import Any

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
DEPLOYMENT_ID = LTI + "deployment_id"
ROLES = LTI + "roles"
CONTEXT = LTI + "context"
RESOURCE_LINK = LTI + "resource_link"
CUSTOM = LTI + "custom"
LAUNCH_PRESENTATION = LTI + "launch_presentation"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
MEMBERSHIPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"

# Context roles that make someone a course's instructor here (LIS vocabulary, full and short forms).
INSTRUCTOR_ROLES = {
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
    "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
    "Instructor",
    "ContentDeveloper",
}

# The custom parameters our deep links carry: which course (slug) and which day a link opens.
CUSTOM_COURSE = "momentum_course"
CUSTOM_DAY = "momentum_day"


def claim(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def is_instructor(data: dict[str, Any]) -> bool:
    roles = data.get(ROLES)
    return isinstance(roles, list) and any(role in INSTRUCTOR_ROLES for role in roles)
