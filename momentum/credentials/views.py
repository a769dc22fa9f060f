"""Pages of the credentials app: the learner's wallet (signed in: their certificates and badge
credentials, each with its downloads and links), a certificate's verify page (public, no sign-in),
the picture a shared link previews with, and the issuer's DID document and JWK Set at the
well-known addresses verifiers look them up (did:web; JOSE)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from momentum.accounts.policy import Access, page_access
from momentum.credentials import cards, queries, signing
from momentum.lib.problems import NotFound


@page_access(Access.AUTHENTICATED)
@require_safe
def wallet(request: HttpRequest) -> HttpResponse:
    """The learner's certificates and badges: download (PDF, JSON, JWT), share, verify."""
    context = {
        "certificates": queries.wallet_certificates(request.user),
        "badges": queries.wallet_badges(request.user),
    }
    return render(request, "credentials/wallet.html", context)


@page_access(Access.PUBLIC)
@require_safe
def verify(request: HttpRequest, id: str) -> HttpResponse:
    """Who earned the certificate, for what, from whom, when, and whether it still holds."""
    try:
        certificate = queries.public_view(queries.certificate(id))
    except NotFound:
        return render(request, "errors/404.html", {"detail": "No certificate has this id."}, status=404)
    image_url = certificate.course_thumbnail or queries.card_url(certificate.id)
    context = {"certificate": certificate, "image_url": image_url}
    response = render(request, "credentials/verify.html", context)
    response["Cache-Control"] = "no-cache"
    return response


@page_access(Access.PUBLIC)
@require_safe
def card(request: HttpRequest, id: str) -> HttpResponse:
    """The certificate as a 1200 x 630 PNG: the Open Graph and Twitter card image of the verify page."""
    try:
        certificate = queries.public_view(queries.certificate(id))
    except NotFound:
        return render(request, "errors/404.html", {"detail": "No certificate has this id."}, status=404)
    response = HttpResponse(cards.card_png(cards.card_of(certificate)), content_type="image/png")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _public_json(document: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(document, json_dumps_params={"indent": 2})
    # Verifiers run in other sites' pages too; these documents hold only public keys.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _keys_missing() -> JsonResponse:
    return JsonResponse({"detail": "The site has no credential signing key yet."}, status=503)


@page_access(Access.PUBLIC)
@require_safe
def did_document(request: HttpRequest) -> JsonResponse:
    """did:web resolution: every key of the ring (old ones verify what they signed), newest last."""
    try:
        return _public_json(signing.did_document())
    except signing.CredentialKeysMissing:
        return _keys_missing()


@page_access(Access.PUBLIC)
@require_safe
def jwks(request: HttpRequest) -> JsonResponse:
    """The same keys as a JWK Set: a VC-JWT's ``kid`` is the ``kid`` of one of them."""
    try:
        return _public_json(signing.jwks())
    except signing.CredentialKeysMissing:
        return _keys_missing()
