"""Reads of the credentials app: a learner's certificates, the public view of one certificate, the
addresses each is found at, the "Add to LinkedIn profile" link, and the signed revocation status
lists (Open Badges)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from momentum.credentials import openbadge_documents, signing
from momentum.credentials.models import Credential, StatusListCounter
from momentum.credentials.openbadges import statuslist
from momentum.lib import clock
from momentum.lib.problems import NotFound
from momentum.sitesettings.queries import site_name

# Countries whose paper is US Letter (CLDR supplemental data, paperSize "US-Letter"); A4 elsewhere.
LETTER_COUNTRIES = frozenset({"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"})
LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"
UNNAMED_LEARNER = "A learner"
STATUS_LIST_CACHE_SECONDS = 24 * 3600


def _absolute(path: str) -> str:
    return f"{str(settings.SITE_URL).rstrip('/')}{path}"


def _api_url(name: str, credential_id: uuid.UUID, path: str) -> str:
    """The address of the API operation ``name`` (``api:<name>``), else ``path`` under /api/v1 (the
    Open Badges operations may live on another branch until they are merged)."""
    try:
        return _absolute(reverse(f"api:{name}", args=[str(credential_id)]))
    except NoReverseMatch:
        return _absolute(f"/api/v1/certificates/{credential_id}/{path}")


def verify_path(credential_id: uuid.UUID) -> str:
    """The verify page's path on this site (what an in-app notice links to)."""
    return reverse("credentials:verify", args=[credential_id])


def verify_url(credential_id: uuid.UUID) -> str:
    return _absolute(verify_path(credential_id))


def card_url(credential_id: uuid.UUID) -> str:
    return _absolute(reverse("credentials:card", args=[credential_id]))


def pdf_url(credential_id: uuid.UUID) -> str:
    return _api_url("certificate_pdf", credential_id, "pdf")


def credential_url(credential_id: uuid.UUID) -> str:
    return _api_url("certificate_credential", credential_id, "credential")


def credential_jwt_url(credential_id: uuid.UUID) -> str:
    return _api_url("certificate_credential_jwt", credential_id, "credential.jwt")


def badge_credential_url(credential_id: uuid.UUID) -> str:
    return _absolute(reverse("api:badge_credential", args=[str(credential_id)]))


def badge_credential_jwt_url(credential_id: uuid.UUID) -> str:
    return _absolute(reverse("api:badge_credential_jwt", args=[str(credential_id)]))


def badge_image_url(credential_id: uuid.UUID) -> str:
    return _absolute(reverse("api:badge_credential_image", args=[str(credential_id)]))


def certificates_of(user: Any) -> QuerySet[Credential]:
    """The certificates of ``user`` (revoked ones too: the learner should see what happened), newest first."""
    return (
        Credential.objects.filter(user=user, kind=Credential.Kind.CERTIFICATE, erased_at__isnull=True)
        .select_related("enrollment__course")
        .order_by("-issued_at", "id")
    )


def certificate_of_enrollment(enrollment: Any) -> Credential | None:
    return Credential.objects.filter(enrollment=enrollment, erased_at__isnull=True).first()


def _key(credential_id: uuid.UUID | str) -> uuid.UUID | None:
    if isinstance(credential_id, uuid.UUID):
        return credential_id
    try:
        return uuid.UUID(str(credential_id))
    except ValueError:
        return None


def credential(credential_id: uuid.UUID | str) -> Credential:
    """The live credential (a certificate or a badge's) with this public id, or 404 ``not_found``
    (unknown, malformed, or its learner erased)."""
    key = _key(credential_id)
    found = None
    if key is not None:
        found = (
            Credential.objects.filter(pk=key, erased_at__isnull=True)
            .select_related("user", "enrollment__course", "badge_award__badge", "revoked_by")
            .first()
        )
    if found is None:
        raise NotFound(_("No credential has this id."))
    return found


def badge_credential(credential_id: uuid.UUID | str) -> Credential:
    """The badge credential with this public id, or 404 ``not_found`` (unknown, malformed, a
    certificate's id, or its learner erased)."""
    try:
        found = credential(credential_id)
    except NotFound:
        found = None
    if found is None or found.kind != Credential.Kind.BADGE:
        raise NotFound(_("No badge credential has this id."))
    return found


def certificate(credential_id: uuid.UUID | str) -> Credential:
    """The certificate with this public id, or 404 ``not_found`` (unknown, malformed, a badge's id,
    or its learner erased)."""
    try:
        found = credential(credential_id)
    except NotFound:
        found = None
    if found is None or found.kind != Credential.Kind.CERTIFICATE:
        raise NotFound(_("No certificate has this id."))
    return found


def all_certificates(search: str = "") -> QuerySet[Credential]:
    """Every live certificate for the studio, newest first; ``search`` matches the learner's email
    or name, the course's title, or the certificate's id."""
    found = Credential.objects.filter(kind=Credential.Kind.CERTIFICATE, erased_at__isnull=True)
    if search:
        matches = (
            Q(user__email__icontains=search)
            | Q(user__display_name__icontains=search)
            | Q(enrollment__course__title__icontains=search)
        )
        key = _key(search)
        if key is not None:
            matches |= Q(pk=key)
        found = found.filter(matches)
    return found.select_related("user", "enrollment__course", "revoked_by").order_by("-issued_at", "id")


@dataclass(frozen=True)
class PublicCertificate:
    """What anyone may know of a certificate: the verify page, ``GET /certificates/{id}``, the PDF."""

    id: uuid.UUID
    status: str  # "valid" / "revoked"
    learner_name: str
    course_title: str
    course_slug: str
    course_thumbnail: str
    duration_days: int
    issuer: str
    issued_at: datetime
    revoked_at: datetime | None
    verify_url: str
    pdf_url: str
    credential_url: str
    credential_jwt_url: str

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def linkedin_url(self) -> str:
        """LinkedIn's documented add-to-profile link (a certification, prefilled)."""
        query = {
            "startTask": "CERTIFICATION_NAME",
            "name": self.course_title,
            "organizationName": self.issuer,
            "issueYear": str(self.issued_at.year),
            "issueMonth": str(self.issued_at.month),
            "certUrl": self.verify_url,
            "certId": str(self.id),
        }
        return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(query)}"


def learner_name(user: Any) -> str:
    return str(user.display_name).strip() or UNNAMED_LEARNER


def public_view(credential: Credential) -> PublicCertificate:
    enrollment = credential.enrollment
    if enrollment is None:  # erased: the public queries never hand such a row out
        raise NotFound(_("No certificate has this id."))
    course = enrollment.course
    return PublicCertificate(
        id=credential.id,
        status="revoked" if credential.is_revoked else "valid",
        learner_name=learner_name(credential.user),
        course_title=course.title,
        course_slug=course.slug,
        course_thumbnail=_absolute(course.thumbnail.url) if course.thumbnail else "",
        duration_days=course.duration_days,
        issuer=site_name(),
        issued_at=credential.issued_at,
        revoked_at=credential.revoked_at,
        verify_url=verify_url(credential.id),
        pdf_url=pdf_url(credential.id),
        credential_url=credential_url(credential.id),
        credential_jwt_url=credential_jwt_url(credential.id),
    )


def wallet_certificates(user: Any) -> list[PublicCertificate]:
    """The learner's wallet: each of their live certificates (revoked ones too, marked), newest
    first, with where to check, download and share it. One query."""
    found = certificates_of(user).select_related("user")
    return [public_view(credential) for credential in found]


@dataclass(frozen=True)
class WalletBadge:
    """A badge credential in the learner's wallet, with where to download it."""

    id: uuid.UUID
    name: str
    description: str
    issued_at: datetime
    revoked_at: datetime | None
    credential_url: str
    credential_jwt_url: str
    image_url: str

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


def wallet_badges(user: Any) -> list[WalletBadge]:
    """The learner's live badge credentials, newest first. One query."""
    found = (
        Credential.objects.filter(user=user, kind=Credential.Kind.BADGE, erased_at__isnull=True)
        .select_related("badge_award__badge")
        .order_by("-issued_at", "id")
    )
    return [
        WalletBadge(
            id=credential.id,
            name=credential.badge_award.badge.name,
            description=credential.badge_award.badge.description,
            issued_at=credential.issued_at,
            revoked_at=credential.revoked_at,
            credential_url=badge_credential_url(credential.id),
            credential_jwt_url=badge_credential_jwt_url(credential.id),
            image_url=badge_image_url(credential.id),
        )
        for credential in found
        if credential.badge_award is not None
    ]


def paper_for(user: Any) -> str:
    """ "letter" for a learner in a US Letter country (their profile's country), else "a4"."""
    return "letter" if str(getattr(user, "country", "")).upper() in LETTER_COUNTRIES else "a4"


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
