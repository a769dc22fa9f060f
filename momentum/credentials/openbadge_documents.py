"""The Open Badges 3.0 documents of a Credential row, and the site's status lists.

    credential row ──build──▶ OpenBadgeCredential ──signing.sign──▶ (signed JSON, VC-JWT)
                                                                      stored on the row at issue
    revoked rows ──────────▶ BitstringStatusListCredential ─sign─▶ cached by the revoked set

A credential is signed once, when it is issued (``actions.do_sign_credential``), and read from
its row afterwards: no request re-canonicalises it. Revocation never touches the signed
document: it sets the credential's bit in the status list (``queries.signed_status_list``), which
is signed again only when the set of revoked positions changes.
"""

import secrets
from typing import Any

from django.conf import settings
from django.urls import reverse

from momentum.credentials import signing
from momentum.credentials.models import Credential
from momentum.credentials.openbadges import statuslist
from momentum.credentials.openbadges.credential import Achievement, open_badge_credential


def status_list_url(number: int) -> str:
    return settings.SITE_URL + reverse("api:credential_status_list", kwargs={"number": number})


def _certificate_achievement(credential: Credential) -> tuple[Achievement, str]:
    if credential.enrollment is None:
        raise ValueError(f"credential {credential.pk} has no enrolment to certify")
    course = credential.enrollment.course
    lessons = list(course.lessons.order_by("day").values_list("day", "title", "quiz__id"))
    quizzes = sum(1 for *_, quiz in lessons if quiz is not None)
    days = "\n".join(f"- Day {day}: {title}" + (" (quiz passed)" if quiz else "") for day, title, quiz in lessons)
    narrative = (
        f"Completed every lesson ({len(lessons)}) and passed every quiz ({quizzes}) of the "
        f"{course.duration_days}-day course \u201c{course.title}\u201d:\n\n{days}"
    )
    achievement = Achievement(
        id=settings.SITE_URL + reverse("catalog:detail", kwargs={"slug": course.slug}),
        name=course.title,
        description=course.description or f"A {course.duration_days}-day course on {settings.SITE_NAME}.",
        criteria=narrative,
        achievement_type="Certificate",
    )
    return achievement, f"{course.title}: certificate of completion"


def _badge_achievement(credential: Credential) -> tuple[Achievement, str]:
    if credential.badge_award is None:
        raise ValueError(f"credential {credential.pk} has no badge award")
    badge = credential.badge_award.badge
    achievement = Achievement(
        id=settings.SITE_URL + reverse("api:list_badges") + f"#{badge.code}",
        name=badge.name,
        description=badge.description,
        criteria=badge.criteria,
        achievement_type="Badge",
    )
    return achievement, f"{badge.name} badge"


def build(credential: Credential) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of a certificate or badge (a fresh salt each time)."""
    if credential.kind == Credential.Kind.CERTIFICATE:
        achievement, name = _certificate_achievement(credential)
    else:
        achievement, name = _badge_achievement(credential)
    number, index = statuslist.position(credential.status_index)
    return open_badge_credential(
        credential_id=f"urn:uuid:{credential.id}",
        issuer=signing.issuer(),
        achievement=achievement,
        email=credential.user.email,
        salt=secrets.token_hex(16),
        valid_from=credential.issued_at,
        credential_status=statuslist.entry(status_list_url(number), index),
        name=name,
    )
