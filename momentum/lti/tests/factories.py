"""Rows of the LTI app for tests that need no running platform."""

from __future__ import annotations

from typing import Any

from momentum.lti.models import LtiGradeLink, LtiIdentity, LtiPlatform


def make_platform(**fields: Any) -> LtiPlatform:
    values = {
        "name": "Moodle of the school", "issuer": "https://moodle.school.example", "client_id": "client-1",
        "auth_login_url": "https://moodle.school.example/mod/lti/auth.php",
        "auth_token_url": "https://moodle.school.example/mod/lti/token.php",
        "keyset_url": "https://moodle.school.example/mod/lti/certs.php", **fields,
    }  # fmt: skip
    return LtiPlatform.objects.create(**values)


def make_grade_link(
    user: Any, course: Any, *, day: int | None = None, platform: LtiPlatform | None = None
) -> LtiGradeLink:
    platform = platform or make_platform()
    identity = LtiIdentity.objects.create(issuer=platform.issuer, sub=f"sub-{user.pk}", platform=platform, user=user)
    return LtiGradeLink.objects.create(
        identity=identity, platform=platform, course=course, day=day,
        lineitem_url=f"{platform.issuer}/lineitems/1", scopes=["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
    )  # fmt: skip
