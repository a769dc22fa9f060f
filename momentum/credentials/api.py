"""The credentials app's API operations (mounted under /api/v1 by momentum/api.py).

Open Badges 3.0 forms, public to anyone holding the link (a credential's id is a random UUID):
a certificate's or badge's credential as JSON-LD with its embedded proof and as a VC-JWT, a
badge's PNG with the credential baked in, and the revocation status lists. Every answer is what
was signed at issue, read from the row.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Path, Router
from pydantic import Field

from momentum.accounts.policy import Access, api_access
from momentum.credentials import actions, badge_images, queries, signing
from momentum.credentials.models import Credential
from momentum.credentials.openbadges import baking, vcjwt
from momentum.lib.problems import NotFound, Problem
from momentum.platform.api_problems import problems

router = Router(tags=["credentials"])

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


def _signed(credential_id: UUID, kind: Credential.Kind) -> Credential:
    credential = queries.public_credential(credential_id, kind)
    if credential is None:
        raise NotFound("No such credential.")
    try:
        return actions.do_sign_credential(credential)
    except signing.CredentialKeysMissing as error:
        raise Problem(
            503, "credential_keys_missing", "The site cannot sign credentials yet: its signing key is missing."
        ) from error


def _ld_json(document: dict[str, Any] | None) -> HttpResponse:
    if document is None:  # erased meanwhile
        raise NotFound("No such credential.")
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type=LD_JSON)
    response["Access-Control-Allow-Origin"] = "*"  # verifiers in other sites' pages; public documents
    return response


def _jwt(credential: Credential) -> HttpResponse:
    response = HttpResponse(credential.credential_jwt, content_type=vcjwt.MEDIA_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@router.get(
    "/certificates/{credential_id}/credential",
    auth=api_access(Access.PUBLIC),
    operation_id="certificate_credential",
    url_name="certificate_credential",
    summary="A certificate as an Open Badges 3.0 credential (JSON-LD, embedded eddsa-rdfc-2022 proof)",
    openapi_extra=_described(LD_JSON, "The OpenBadgeCredential, with credentialStatus and proof"),
)
def certificate_credential(request: HttpRequest, credential_id: UUID) -> HttpResponse:
    return _ld_json(_signed(credential_id, Credential.Kind.CERTIFICATE).signed_credential)


@router.get(
    "/certificates/{credential_id}/credential.jwt",
    auth=api_access(Access.PUBLIC),
    operation_id="certificate_credential_jwt",
    url_name="certificate_credential_jwt",
    summary="A certificate as a VC-JWT (EdDSA; its kid is in /.well-known/jwks.json)",
    openapi_extra=_described(vcjwt.MEDIA_TYPE, "The credential as a compact JWS"),
)
def certificate_credential_jwt(request: HttpRequest, credential_id: UUID) -> HttpResponse:
    return _jwt(_signed(credential_id, Credential.Kind.CERTIFICATE))


@router.get(
    "/badge-credentials/{credential_id}/credential",
    auth=api_access(Access.PUBLIC),
    operation_id="badge_credential",
    url_name="badge_credential",
    summary="A badge award as an Open Badges 3.0 credential (JSON-LD, embedded eddsa-rdfc-2022 proof)",
    openapi_extra=_described(LD_JSON, "The OpenBadgeCredential, with credentialStatus and proof"),
)
def badge_credential(request: HttpRequest, credential_id: UUID) -> HttpResponse:
    return _ld_json(_signed(credential_id, Credential.Kind.BADGE).signed_credential)


@router.get(
    "/badge-credentials/{credential_id}/credential.jwt",
    auth=api_access(Access.PUBLIC),
    operation_id="badge_credential_jwt",
    url_name="badge_credential_jwt",
    summary="A badge award as a VC-JWT",
    openapi_extra=_described(vcjwt.MEDIA_TYPE, "The credential as a compact JWS"),
)
def badge_credential_jwt(request: HttpRequest, credential_id: UUID) -> HttpResponse:
    return _jwt(_signed(credential_id, Credential.Kind.BADGE))


@router.get(
    "/badge-credentials/{credential_id}/image.png",
    auth=api_access(Access.PUBLIC),
    operation_id="badge_credential_image",
    url_name="badge_credential_image",
    summary="The badge's image with its signed credential baked in (iTXt chunk `openbadgecredential`)",
    openapi_extra=_described(PNG, "A PNG carrying the credential"),
)
def badge_credential_image(request: HttpRequest, credential_id: UUID) -> HttpResponse:
    credential = _signed(credential_id, Credential.Kind.BADGE)
    if credential.badge_award is None:  # erased meanwhile
        raise NotFound("No such credential.")
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
        raise NotFound("No such status list.")
    try:
        document = queries.signed_status_list(number)
    except signing.CredentialKeysMissing as error:
        raise Problem(
            503, "credential_keys_missing", "The site cannot sign credentials yet: its signing key is missing."
        ) from error
    response = _ld_json(document)
    response["Cache-Control"] = "public, max-age=300"
    return response
