"""The credentials app's API operations (mounted under /api/v1 by momentum/api.py): a learner's
certificates, the public check of one certificate and its PDF, and revocation by an admin.

The Open Badges 3.0 forms are public to anyone holding the link (a credential's id is a random
UUID): a certificate's or badge's credential as JSON-LD with its embedded proof
(``certificate_credential``, ``badge_credential``) and as a VC-JWT (``..._jwt``), a badge's PNG
with the credential baked in, and the revocation status lists. Every answer is what was signed at
issue, read from the row.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from pydantic import Field

from momentum.accounts.policy import Access, api_access, caller
from momentum.credentials import actions, badge_images, queries, signing
from momentum.credentials.models import Credential
from momentum.credentials.openbadges import baking, vcjwt
from momentum.credentials.schemas import CertificateOut, MyCertificateOut, RevokedOut, RevokeIn
from momentum.lib.pagination import Page, PageParams, paginate
from momentum.lib.problems import NotFound, Problem
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


LD_JSON = "application/ld+json"
PNG = "image/png"
MAX_STATUS_LISTS = 10_000  # 1.3 billion credentials
StatusListNumber = Annotated[int, Field(ge=0, le=MAX_STATUS_LISTS)]


def _described(media_type: str, text: str, **extra: Any) -> dict[str, Any]:
    schema = {"type": "string", "format": "binary"} if media_type == PNG else (
        {"type": "string"} if media_type == vcjwt.MEDIA_TYPE else {"type": "object"})  # fmt: skip
    return problems(
        {
            404: "No such credential (or it was erased)",
            503: "`credential_keys_missing`: the site has no signing key yet",
        },
        responses={200: {"description": text, "content": {media_type: {"schema": schema}}}},
        **extra,
    )


def _signed(credential: Credential) -> Credential:
    """The credential with its signed forms (signed now if issuing could not: no key then)."""
    try:
        return actions.do_sign_credential(credential)
    except signing.CredentialKeysMissing as error:
        raise Problem(
            503, "credential_keys_missing", _("The site cannot sign credentials yet: its signing key is missing.")
        ) from error


def _ld_json(document: dict[str, Any] | None) -> HttpResponse:
    if document is None:  # erased meanwhile
        raise NotFound(_("No such credential."))
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type=LD_JSON)
    response["Access-Control-Allow-Origin"] = "*"  # verifiers in other sites' pages; public documents
    return response


def _jwt(credential: Credential) -> HttpResponse:
    response = HttpResponse(credential.credential_jwt, content_type=vcjwt.MEDIA_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@router.get(
    "/certificates/{id}/credential",
    auth=api_access(Access.PUBLIC),
    operation_id="certificate_credential",
    url_name="certificate_credential",
    summary="A certificate as an Open Badges 3.0 credential (JSON-LD, embedded eddsa-rdfc-2022 proof)",
    openapi_extra=_described(LD_JSON, "The OpenBadgeCredential, with credentialStatus and proof"),
)
def certificate_credential(request: HttpRequest, id: str) -> HttpResponse:
    return _ld_json(_signed(queries.certificate(id)).signed_credential)


@router.get(
    "/certificates/{id}/credential.jwt",
    auth=api_access(Access.PUBLIC),
    operation_id="certificate_credential_jwt",
    url_name="certificate_credential_jwt",
    summary="A certificate as a VC-JWT (EdDSA; its kid is in /.well-known/jwks.json)",
    openapi_extra=_described(vcjwt.MEDIA_TYPE, "The credential as a compact JWS"),
)
def certificate_credential_jwt(request: HttpRequest, id: str) -> HttpResponse:
    return _jwt(_signed(queries.certificate(id)))


@router.get(
    "/badge-credentials/{id}/credential",
    auth=api_access(Access.PUBLIC),
    operation_id="badge_credential",
    url_name="badge_credential",
    summary="A badge award as an Open Badges 3.0 credential (JSON-LD, embedded eddsa-rdfc-2022 proof)",
    openapi_extra=_described(LD_JSON, "The OpenBadgeCredential, with credentialStatus and proof"),
)
def badge_credential(request: HttpRequest, id: str) -> HttpResponse:
    return _ld_json(_signed(queries.badge_credential(id)).signed_credential)


@router.get(
    "/badge-credentials/{id}/credential.jwt",
    auth=api_access(Access.PUBLIC),
    operation_id="badge_credential_jwt",
    url_name="badge_credential_jwt",
    summary="A badge award as a VC-JWT",
    openapi_extra=_described(vcjwt.MEDIA_TYPE, "The credential as a compact JWS"),
)
def badge_credential_jwt(request: HttpRequest, id: str) -> HttpResponse:
    return _jwt(_signed(queries.badge_credential(id)))


@router.get(
    "/badge-credentials/{id}/image.png",
    auth=api_access(Access.PUBLIC),
    operation_id="badge_credential_image",
    url_name="badge_credential_image",
    summary="The badge's image with its signed credential baked in (iTXt chunk `openbadgecredential`)",
    openapi_extra=_described(PNG, "A PNG carrying the credential"),
)
def badge_credential_image(request: HttpRequest, id: str) -> HttpResponse:
    credential = _signed(queries.badge_credential(id))
    if credential.badge_award is None:  # erased meanwhile
        raise NotFound(_("No such credential."))
    badge = credential.badge_award.badge
    image = baking.bake(badge_images.render(badge.code, badge.name), json.dumps(credential.signed_credential))
    response = HttpResponse(image, content_type=PNG)
    response["Content-Disposition"] = f'inline; filename="{badge.code}-badge.png"'
    return response


@router.get(
    "/credentials/status-lists/{number}",
    auth=api_access(Access.PUBLIC),
    operation_id="credential_status_list",
    url_name="credential_status_list",
    summary="A revocation status list: a signed BitstringStatusListCredential (GZIP, multibase base64url)",
    openapi_extra=problems(
        {404: "No such list", 503: "`credential_keys_missing`: the site has no signing key yet"},
        responses={200: {"description": "The list credential", "content": {LD_JSON: {"schema": {"type": "object"}}}}},
    ),
)
def credential_status_list(request: HttpRequest, number: Path[StatusListNumber]) -> HttpResponse:
    if number > queries.last_status_list():
        raise NotFound(_("No such status list."))
    try:
        document = queries.signed_status_list(number)
    except signing.CredentialKeysMissing as error:
        raise Problem(
            503, "credential_keys_missing", _("The site cannot sign credentials yet: its signing key is missing.")
        ) from error
    response = _ld_json(document)
    response["Cache-Control"] = "public, max-age=300"
    return response
