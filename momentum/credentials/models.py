"""Credentials: one row per certificate or badge a learner was issued, each with its public id and
its position in the site's Bitstring Status List (revocation checkable offline)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from momentum.achievements.models import BadgeAward
from momentum.learning.models import Enrollment


class Credential(models.Model):
    """A certificate (a completed course: ``enrollment``) or a badge (``badge_award``).

    ``id`` is the public id in every URL (the verify page, the PDF, the Open Badges forms); the
    certificates of the former ``learning.Certificate`` kept their serial as their id.
    ``status_index`` is the credential's bit in the site's revocation status list; it is allocated
    once (``actions.allocate_status_index``: a counter row, never reused) and the bit is 1 when
    ``revoked_at`` is set.

    Erasure of the learner (``personal_data.erase``) revokes the credential and detaches it from
    everything personal (``erased_at`` set, ``enrollment`` and ``badge_award`` cleared): the row
    stays only so its status index is never handed out again and its bit stays revoked; every
    public surface answers "not found" for it.
    """

    class Kind(models.TextChoices):
        CERTIFICATE = "CERTIFICATE", "Certificate"
        BADGE = "BADGE", "Badge"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credentials")
    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, null=True, blank=True, related_name="certificate"
    )
    badge_award = models.OneToOneField(
        BadgeAward, on_delete=models.CASCADE, null=True, blank=True, related_name="credential"
    )
    status_index = models.PositiveIntegerField(unique=True, editable=False)
    issued_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(blank=True, default="")
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    erased_at = models.DateTimeField(null=True, blank=True)
    # The stored PDF's storage name (default storage); blank until it is made.
    pdf = models.CharField(max_length=300, blank=True, default="")
    # The Open Badges 3.0 forms, signed once at issue (openbadge_documents, actions.do_sign_credential):
    # the OpenBadgeCredential with its DataIntegrityProof, and the same credential as a VC-JWT.
    # Both or neither; erasure clears them (they hold the salted hash of the learner's email).
    signed_credential = models.JSONField(null=True, blank=True)
    credential_jwt = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-issued_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["CERTIFICATE", "BADGE"]), name="credential_kind_valid"),
            models.CheckConstraint(
                condition=(
                    Q(erased_at__isnull=True, kind="CERTIFICATE", enrollment__isnull=False, badge_award__isnull=True)
                    | Q(erased_at__isnull=True, kind="BADGE", enrollment__isnull=True, badge_award__isnull=False)
                    | Q(
                        erased_at__isnull=False,
                        enrollment__isnull=True,
                        badge_award__isnull=True,
                        revoked_at__isnull=False,
                    )
                ),
                name="credential_kind_matches_subject",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("issued_at")),
                name="credential_revoked_after_issue",
            ),
            # a revocation always says why (at most 1,000 characters), and only a revocation does
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoke_reason="")
                | (
                    Q(revoked_at__isnull=False)
                    & ~Q(revoke_reason="")
                    & Q(LessThanOrEqual(Length("revoke_reason"), 1000))
                ),
                name="credential_reason_when_revoked",
            ),
            models.CheckConstraint(
                condition=(Q(signed_credential__isnull=True) & Q(credential_jwt=""))
                | (Q(signed_credential__isnull=False) & ~Q(credential_jwt="") & Q(erased_at__isnull=True)),
                name="credential_signed_forms_together",
            ),
        ]
        indexes = [models.Index(fields=["user", "kind", "-issued_at"], name="credential_by_user")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.id}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class StatusListCounter(models.Model):
    """The next free position of the site's revocation status list: one row (``pk=1``), incremented
    under its row lock (PostgreSQL) or the database write lock (SQLite, IMMEDIATE transactions) by
    the transaction that issues a credential, so two issuers can never take the same position."""

    next_index = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="status_list_counter_single_row")]
