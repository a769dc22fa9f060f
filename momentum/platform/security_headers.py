"""Security headers beyond Django's own: the Content-Security-Policy (django-csp) and Permissions-Policy.

Every answer gets the strict policy from settings.CONTENT_SECURITY_POLICY: scripts and styles
only from our own origin, no inline code, no framing. That includes the API reference at
/api/docs: django-ninja serves Swagger UI CSP-clean (its settings in a JSON data block, its code
in static files), so it needs no exception (tests/e2e/test_content_security_policy.py).
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class SecurityHeadersMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response = super().process_response(request, response)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
