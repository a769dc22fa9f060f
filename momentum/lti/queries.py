"""Reads of the LTI tool: registrations, and a course's class lists read from its platforms (NRPS)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from momentum.lib.problems import NotFound
from momentum.lti import services
from momentum.lti.models import LtiContext, LtiPlatform, LtiScore


def platforms() -> QuerySet[LtiPlatform]:
    return LtiPlatform.objects.annotate(identity_count=Count("identities", distinct=True)).prefetch_related(
        "deployments"
    )


def platform_or_404(pk: int) -> LtiPlatform:
    """The platform, or 404 ``not_found`` (a page shows its 404 page)."""
    platform = LtiPlatform.objects.prefetch_related("deployments").filter(pk=pk).first()
    if platform is None:
        raise NotFound("No LTI platform has this id.")
    return platform


def platform_of_launch(data: dict[str, Any]) -> LtiPlatform | None:
    """The registration a validated id_token was issued for: its issuer and audience (client ID)."""
    audience = data.get("aud")
    client_ids = [str(c) for c in (audience if isinstance(audience, list) else [audience])]
    return LtiPlatform.objects.filter(issuer=data.get("iss"), client_id__in=client_ids).first()


@dataclass
class ClassList:
    platform: str
    context: str
    members: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""


def class_lists(course_id: int) -> list[ClassList]:
    """The members of every platform context that launched ``course``, read now from the platforms."""
    lists = []
    contexts = LtiContext.objects.filter(course_id=course_id).exclude(memberships_url="").select_related("platform")
    for context in contexts:
        found = ClassList(platform=context.platform.name, context=context.title or context.context_id)
        try:
            members = services.class_list(context.platform, context.memberships_url)
        except services.ServiceError as error:
            found.error = str(error)
        else:
            found.members = [
                {"name": str(m.get("name") or m.get("user_id") or ""), "email": str(m.get("email") or ""),
                 "status": str(m.get("status") or "Active"), "user_id": str(m.get("user_id") or ""),
                 "instructor": services.member_is_instructor(m)}
                for m in members
            ]  # fmt: skip
        lists.append(found)
    return lists


def recent_scores(limit: int = 50) -> QuerySet[LtiScore]:
    return LtiScore.objects.select_related("grade_link__identity__user", "grade_link__course").order_by("-pk")[:limit]
