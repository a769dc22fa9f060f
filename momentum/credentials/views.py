"""Public pages of the credentials app: a certificate's verify page (no sign-in) and the picture a
shared link previews with."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from momentum.accounts.policy import Access, page_access
from momentum.credentials import cards, queries
from momentum.lib.problems import NotFound


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
