"""Reading credentials: the public ones (never an erased one) and the signed status lists."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache

from momentum.credentials import openbadge_documents, signing
from momentum.credentials.models import Credential, StatusListCounter
from momentum.credentials.openbadges import statuslist
from momentum.lib import clock

STATUS_LIST_CACHE_SECONDS = 24 * 3600


def public_credential(credential_id: Any, kind: Credential.Kind) -> Credential | None:
    """A credential anyone may read by its id, or None (unknown, of another kind, or erased)."""
    return (
        Credential.objects.filter(pk=credential_id, kind=kind, erased_at__isnull=True)
        .select_related("user", "enrollment__course", "badge_award__badge")
        .first()
    )


def revoked_positions(first: int, count: int) -> list[int]:
    """The revoked status indexes in [first, first + count), relative to ``first``."""
    indexes = Credential.objects.filter(
        revoked_at__isnull=False, status_index__gte=first, status_index__lt=first + count
    ).values_list("status_index", flat=True)
    return sorted(index - first for index in indexes)


def last_status_list() -> int:
    """The number of the last status list in use (0 before any credential: list 0 exists, empty)."""
    taken = StatusListCounter.objects.filter(pk=1).values_list("next_index", flat=True).first() or 0
    return max(taken - 1, 0) // statuslist.LIST_SIZE


def signed_status_list(number: int) -> dict[str, Any]:
    """The signed BitstringStatusListCredential of list ``number``. Signed again only when its
    revoked positions (or the signing key) change: cached under their digest."""
    revoked = revoked_positions(number * statuslist.LIST_SIZE, statuslist.LIST_SIZE)
    kid = signing.key_ring().current.kid
    digest = hashlib.sha256(f"{number}:{kid}:{settings.SITE_URL}:{revoked}".encode()).hexdigest()
    key = f"credentials:status-list:{digest}"
    document: dict[str, Any] | None = cache.get(key)
    if document is None:
        unsigned = statuslist.list_credential(
            list_url=openbadge_documents.status_list_url(number),
            issuer_id=signing.issuer_id(),
            set_bits=revoked,
            valid_from=clock.now(),
        )
        document, _jwt = signing.sign(unsigned)
        cache.set(key, document, STATUS_LIST_CACHE_SECONDS)
    return document
