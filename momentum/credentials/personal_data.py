"""Personal data of the credentials app: a learner's certificates and badge credentials (GDPR export
and erasure).

Erasure revokes each credential and detaches it from the person (``Credential.erased_at``): the row
keeps only its id, kind, dates and status-list position, so the position is never reused and the
status list keeps saying "revoked" to anyone holding a copy; the verify page, the API and the
machine-readable forms answer "not found" for it, so the name is gone from every public surface.
It runs before the learning and achievements erasures (which delete the enrolments and awards).
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

from momentum.credentials.models import Credential
from momentum.lib import clock

ERASED_REASON = "The learner's account was erased."


def export(user: Any) -> dict[str, Any]:
    credentials = (
        Credential.objects.filter(user=user, erased_at__isnull=True)
        .select_related("enrollment__course", "badge_award__badge")
        .order_by("issued_at", "id")
    )
    items = []
    for c in credentials:
        item: dict[str, Any] = {
            "id": str(c.id),
            "kind": c.kind,
            "issued_at": c.issued_at.isoformat(),
            "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None,
            "revoke_reason": c.revoke_reason,
        }
        if c.enrollment is not None:
            item["course"] = {"id": c.enrollment.course_id, "slug": c.enrollment.course.slug,
                              "title": c.enrollment.course.title}  # fmt: skip
        if c.badge_award is not None:
            item["badge"] = {"code": c.badge_award.badge.code, "name": c.badge_award.badge.name}
        items.append(item)
    return {
        "certificates": [i for i in items if i["kind"] == Credential.Kind.CERTIFICATE],
        "badge_credentials": [i for i in items if i["kind"] == Credential.Kind.BADGE],
    }


def erase(user: Any) -> None:
    now = clock.now()
    live = Credential.objects.filter(user=user, erased_at__isnull=True)
    stored = list(live.exclude(pdf="").values_list("pdf", flat=True))
    transaction.on_commit(lambda: _delete_files(stored))
    live.filter(revoked_at__isnull=True).update(revoked_at=now, revoke_reason=ERASED_REASON, updated_at=now)
    live.update(
        erased_at=now,
        enrollment=None,
        badge_award=None,
        pdf="",
        signed_credential=None,
        credential_jwt="",
        updated_at=now,
    )


def _delete_files(names: list[str]) -> None:
    """The stored PDFs carry the learner's name: they go with the account."""
    for name in names:
        default_storage.delete(name)
