"""Writes of the credentials app: issuing a certificate or a badge credential (exactly once, inside
the caller's transaction), its position in the site's revocation status list, its stored PDF, and
revocation by an admin.

Issuing a certificate notifies the learner (a notice linking to the verify page, and an email sent
after the commit). The PDF is made the first time it is asked for and kept in the media storage;
revoking makes it again, saying REVOKED.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from momentum.accounts.actions import do_notify
from momentum.accounts.models import NotificationKind
from momentum.achievements.models import BadgeAward
from momentum.audit.actions import do_record_audit
from momentum.credentials import openbadge_documents, pdf, queries, signing
from momentum.credentials.audit_actions import AuditAction
from momentum.credentials.models import Credential, StatusListCounter
from momentum.learning.models import Enrollment
from momentum.lib import clock
from momentum.lib.logs import get_logger
from momentum.lib.problems import Invalid
from momentum.sitesettings.site_mail import send_site_mail
from momentum.xapi import statements as xapi_statements
from momentum.xapi.actions import record_statement

log = get_logger("momentum.credentials")
REASON_MAX_LENGTH = 1000


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
    _announce_certificate(credential, enrollment)
    record_statement(enrollment.user, lambda actor: xapi_statements.certificate_earned(
        actor, enrollment, queries.verify_url(credential.id), issued_at), now=issued_at)  # fmt: skip
    return credential, True


def _announce_certificate(credential: Credential, enrollment: Enrollment) -> None:
    user, course = enrollment.user, enrollment.course
    url = queries.verify_url(credential.id)
    language = getattr(user, "language", "") or translation.get_language()
    with translation.override(language):
        title = _("Your certificate for %(title)s") % {"title": course.title}
        body = _("You completed every day of the course. Share your certificate or download it as a PDF.")
    do_notify(
        user, kind=NotificationKind.CERTIFICATE_ISSUED, title=title,
        url=queries.verify_path(credential.id),
        body=body,
    )  # fmt: skip
    context = {"name": user.name, "course_title": course.title, "verify_url": url,
               "pdf_url": queries.pdf_url(credential.id)}  # fmt: skip
    address = user.email

    def send() -> None:
        with translation.override(language):
            send_site_mail(
                to=address,
                subject=title,
                template="credentials/email/certificate_issued.txt",
                context=context,
                kind="certificate_issued",
            )

    transaction.on_commit(send)


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


@transaction.atomic
def do_revoke_credential(
    credential: Credential, *, reason: str, actor: Any, request: HttpRequest | None = None
) -> Credential:
    """Revoke ``credential`` with ``reason`` (audited). Revoking again changes nothing: the first
    revocation, its date and its reason, stay. The PDF is made again, saying REVOKED."""
    reason = reason.strip()
    if not reason:
        raise Invalid("reason", _("Give the reason for revoking this credential."), rule="required")
    if len(reason) > REASON_MAX_LENGTH:
        raise Invalid(
            "reason",
            _("Keep the reason to %(REASON_MAX_LENGTH)s characters.") % {"REASON_MAX_LENGTH": REASON_MAX_LENGTH},
            rule="max_length",
        )
    locked = Credential.objects.select_for_update().get(pk=credential.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = max(clock.now(), locked.issued_at)
    locked.revoke_reason = reason
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoke_reason", "revoked_by", "updated_at"])
    do_record_audit(
        AuditAction.CREDENTIAL_REVOKED, actor=actor, subject=locked.user, resource=locked, request=request,
        metadata={"kind": locked.kind, "reason": reason, "status_index": locked.status_index},
    )  # fmt: skip
    if locked.kind == Credential.Kind.CERTIFICATE:
        transaction.on_commit(lambda: _redraw_after_revocation(locked.pk))
    return locked


def _redraw_after_revocation(credential_id: Any) -> None:
    """Replace the stored PDF with one that says REVOKED (a failure here is logged: the next
    download draws it, as ``certificate_pdf`` never serves a valid-looking file of a revoked one)."""
    try:
        do_store_certificate_pdf(Credential.objects.select_related("user", "enrollment__course").get(pk=credential_id))
    except Exception as error:  # storage or rendering: the revocation itself has committed
        log.error(
            "certificate_pdf_not_redrawn", credential=str(credential_id), error=f"{type(error).__name__}: {error}"
        )


def certificate_pdf(credential: Credential) -> bytes:
    """The certificate's PDF: read from storage when it was made, else made now and stored."""
    drawn_revoked = f"{credential.id}-revoked" in credential.pdf
    if credential.pdf and drawn_revoked == (credential.revoked_at is not None):
        try:
            with default_storage.open(credential.pdf, "rb") as stored:
                content: bytes = stored.read()
                return content
        except FileNotFoundError:
            log.warning("certificate_pdf_missing", credential=str(credential.id), name=credential.pdf)
    return do_store_certificate_pdf(credential)


def do_store_certificate_pdf(credential: Credential) -> bytes:
    """Draw the certificate's PDF as it stands (valid or revoked) and keep it in the media storage."""
    view = queries.public_view(credential)
    # Drawn in the learner's language once accounts stores one (issue 18), else the site's.
    with translation.override(getattr(credential.user, "language", "") or settings.LANGUAGE_CODE):
        content = pdf.render(
            pdf.CertificateDrawing(
                learner_name=view.learner_name, course_title=view.course_title, duration_days=view.duration_days,
                issued_on=view.issued_at.date(), issuer=view.issuer, verify_url=view.verify_url,
                certificate_id=str(view.id), paper=queries.paper_for(credential.user),
                revoked_on=view.revoked_at.date() if view.revoked_at else None,
            )
        )  # fmt: skip
    state = "revoked" if view.is_revoked else "valid"
    name = default_storage.save(f"certificates/{credential.id}-{state}.pdf", ContentFile(content))
    with transaction.atomic():
        current = Credential.objects.select_for_update().get(pk=credential.pk)
        if current.revoked_at != credential.revoked_at:  # revoked meanwhile: draw it as it is now
            transaction.on_commit(lambda: _forget_file(name))
            redraw = True
        else:
            redraw = False
            stale = current.pdf
            Credential.objects.filter(pk=credential.pk).update(pdf=name, updated_at=clock.now())
    if redraw:
        return do_store_certificate_pdf(current)
    credential.pdf = name
    if stale and stale != name:
        _forget_file(stale)
    return content


def _forget_file(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError as error:  # a file left behind costs space, never correctness
        log.warning("certificate_pdf_not_deleted", name=name, error=f"{type(error).__name__}: {error}")
