"""Writes of the credentials app: issuing a certificate or a badge credential (exactly once), and
allocating each one's position in the site's revocation status list."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from momentum.achievements.models import BadgeAward
from momentum.credentials.models import Credential, StatusListCounter
from momentum.learning.models import Enrollment
from momentum.lib import clock


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
    return credential, True
