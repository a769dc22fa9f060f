"""Public documents of the credentials app outside the API: the issuer's DID document and JWK Set
at the well-known addresses verifiers look them up (did:web; JOSE)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from momentum.accounts.policy import Access, page_access
from momentum.credentials import signing


def _public_json(document: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(document, json_dumps_params={"indent": 2})
    # Verifiers run in other sites' pages too; these documents hold only public keys.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _keys_missing() -> JsonResponse:
    return JsonResponse({"detail": "The site has no credential signing key yet."}, status=503)


@require_GET
@page_access(Access.PUBLIC)
def did_document(request: HttpRequest) -> JsonResponse:
    """did:web resolution: every key of the ring (old ones verify what they signed), newest last."""
    try:
        return _public_json(signing.did_document())
    except signing.CredentialKeysMissing:
        return _keys_missing()


@require_GET
@page_access(Access.PUBLIC)
def jwks(request: HttpRequest) -> JsonResponse:
    """The same keys as a JWK Set: a VC-JWT's ``kid`` is the ``kid`` of one of them."""
    try:
        return _public_json(signing.jwks())
    except signing.CredentialKeysMissing:
        return _keys_missing()
