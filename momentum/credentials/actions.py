"""Writes of the credentials app: issuing a certificate or a badge credential (exactly once), and
allocating each one's position in the site's revocation status list."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from momentum.achievements.models import BadgeAward
from momentum.credentials import openbadge_documents, signing
from momentum.credentials.models import Credential, StatusListCounter
from momentum.learning.models import Enrollment
from momentum.lib import clock
from momentum.lib.logs import get_logger

log = get_logger(__name__)


def allocate_status_index() -> int:
    """The next free position of the status list, taken inside the caller's transaction.

    The counter row is incremented with one UPDATE: PostgreSQL holds its row lock, SQLite (IMMEDIATE
    transactions) its write lock, until the caller commits, so a concurrent issuer waits and then reads
    the count after this one. A rolled-back issue gives its position back with it. The unique
    constraint on ``Credential.status_index`` backs this up."""
    if not StatusListCounter.objects.filter(pk=1).update(next_index=F("next_index") + 1):
        try:
            with transaction.atomic():
                StatusListCounter.objects.create(pk=1, next_index=1)
        except IntegrityError:  # a concurrent first issuer created it: count after theirs
            StatusListCounter.objects.filter(pk=1).update(next_index=F("next_index") + 1)
    taken: int = StatusListCounter.objects.values_list("next_index", flat=True).get(pk=1)
    return taken - 1


@transaction.atomic
def do_issue_certificate(enrollment: Enrollment, *, now: datetime | None = None) -> tuple[Credential, bool]:
    """The certificate of a completed enrolment, made the first time (``True``) and found afterwards.

    Callers hold the enrolment row locked (learning's completion path), so two completions take
    turns; the one-to-one constraint on ``enrollment`` decides any other race."""
    existing = Credential.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing, False
    issued_at = enrollment.completed_at or now or clock.now()
    try:
        with transaction.atomic():
            credential = Credential.objects.create(
                kind=Credential.Kind.CERTIFICATE,
                user_id=enrollment.user_id,
                enrollment=enrollment,
                status_index=allocate_status_index(),
                issued_at=issued_at,
            )
    except IntegrityError:  # issued by a concurrent transaction that committed first
        return Credential.objects.get(enrollment=enrollment), False
    _sign_at_issue(credential)
    return credential, True


@transaction.atomic
def do_issue_badge_credential(award: BadgeAward) -> tuple[Credential, bool]:
    """The credential of a badge award, made the first time (``True``) and found afterwards."""
    existing = Credential.objects.filter(badge_award=award).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            credential = Credential.objects.create(
                kind=Credential.Kind.BADGE,
                user_id=award.user_id,
                badge_award=award,
                status_index=allocate_status_index(),
                issued_at=award.awarded_at,
            )
    except IntegrityError:
        return Credential.objects.get(badge_award=award), False
    _sign_at_issue(credential)
    return credential, True


def do_sign_credential(credential: Credential) -> Credential:
    """Sign the credential's Open Badges forms (embedded proof and VC-JWT) and store them, once:
    a credential already signed is returned as it is. Raises signing.CredentialKeysMissing when the
    site has no key and may not make one (staging, prod)."""
    if credential.signed_credential is not None or credential.erased_at is not None:
        return credential
    signed, jwt = signing.sign(openbadge_documents.build(credential))
    credential.signed_credential, credential.credential_jwt = signed, jwt
    Credential.objects.filter(pk=credential.pk, signed_credential__isnull=True).update(
        signed_credential=signed, credential_jwt=jwt, updated_at=clock.now()
    )
    return credential


def _sign_at_issue(credential: Credential) -> None:
    """Issuing never fails for want of a key: the credential stays unsigned (the API answers 503
    ``credential_keys_missing`` for its forms, check-config names the missing key) and is signed on
    its first read once an operator has made the key."""
    try:
        do_sign_credential(credential)
    except signing.CredentialKeysMissing as error:
        log.error("credential_unsigned", credential=str(credential.pk), error=str(error))
