"""The credentials app's API operations (mounted under /api/v1 by momentum/api.py): a learner's
certificates, the public check of one certificate and its PDF, and revocation by an admin.

The Open Badges forms of a credential (``/certificates/{id}/credential`` and ``.jwt``) are the
operations ``certificate_credential`` and ``certificate_credential_jwt``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from momentum.accounts.policy import Access, api_access, caller
from momentum.credentials import actions, queries
from momentum.credentials.schemas import CertificateOut, MyCertificateOut, RevokedOut, RevokeIn
from momentum.lib.pagination import Page, PageParams, paginate
from momentum.platform.api_problems import problems

router = Router(tags=["credentials"])
NOT_FOUND = {404: "`not_found`: no certificate has this id (unknown, malformed, or its learner's account was erased)"}


def _mine(credential: Any) -> dict[str, Any]:
    course = credential.enrollment.course
    return {
        "id": credential.id,
        "course": {"id": course.pk, "slug": course.slug, "title": course.title},
        "issued_at": credential.issued_at,
        "revoked_at": credential.revoked_at,
        "verify_url": queries.verify_url(credential.id),
        "pdf_url": queries.pdf_url(credential.id),
        "credential_url": queries.credential_url(credential.id),
        "credential_jwt_url": queries.credential_jwt_url(credential.id),
    }


@router.get("/me/certificates", response=Page[MyCertificateOut], auth=api_access(Access.AUTHENTICATED))
def my_certificates(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """The caller's certificates, newest first, with where to check, download and share each."""
    page = paginate(queries.certificates_of(caller(request)), paging)
    page["items"] = [_mine(credential) for credential in page["items"]]
    return page


@router.get(
    "/certificates/{id}", response=CertificateOut, auth=api_access(Access.PUBLIC), url_name="certificate",
    openapi_extra=problems(NOT_FOUND),
)  # fmt: skip
def get_certificate(request: HttpRequest, id: str) -> dict[str, Any]:
    """Whether a certificate is valid or revoked, whose it is and for which course: anyone may ask."""
    view = queries.public_view(queries.certificate(id))
    return {
        "id": view.id, "status": view.status, "learner_name": view.learner_name, "course_title": view.course_title,
        "issued_at": view.issued_at, "revoked_at": view.revoked_at,
    }  # fmt: skip


@router.get(
    "/certificates/{id}/pdf", auth=api_access(Access.PUBLIC), url_name="certificate_pdf",
    openapi_extra=problems(NOT_FOUND, responses={200: {
        "description": "The certificate as a PDF (says REVOKED once revoked)",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }}),
)  # fmt: skip
def get_certificate_pdf(request: HttpRequest, id: str) -> HttpResponse:
    """The certificate's PDF: the learner's name, the course, its length, the date, the issuer and a
    QR code of the verify page."""
    credential = queries.certificate(id)
    response = HttpResponse(actions.certificate_pdf(credential), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{credential.id}.pdf"'
    response["Cache-Control"] = "no-cache"
    return response


@router.post(
    "/certificates/{id}/revoke", response=RevokedOut, auth=api_access(Access.ADMIN), url_name="certificate_revoke",
    openapi_extra=problems({404: "`not_found`: no credential has this id",
                            422: "`validation_error`: the reason is missing, blank or too long"}),
)  # fmt: skip
def revoke_certificate(request: HttpRequest, id: str, body: RevokeIn) -> dict[str, Any]:
    """Revoke a certificate (or a badge credential) with a reason; audited. Revoking again is
    harmless: the first revocation stays."""
    credential = actions.do_revoke_credential(
        queries.credential(id), reason=body.reason, actor=caller(request), request=request
    )
    return {
        "id": credential.id, "kind": credential.kind, "status": "revoked" if credential.is_revoked else "valid",
        "revoked_at": credential.revoked_at, "revoke_reason": credential.revoke_reason,
    }  # fmt: skip
