"""Security headers beyond Django's own: the Content-Security-Policy (django-csp) and Permissions-Policy.

Every answer gets the strict policy from settings.CONTENT_SECURITY_POLICY: scripts and styles
only from our own origin, no inline code, no framing. That includes the API reference at
/api/docs: django-ninja serves Swagger UI CSP-clean (its settings in a JSON data block, its code
in static files), so it needs no exception (tests/e2e/test_content_security_policy.py).

The policy is the same for every answer that neither used a nonce nor carries its own policy
(django-csp's decorators): it is built once per process and settings, not per request (django-csp
rebuilds it from the settings twice per answer: an eighth of a trivial request's CPU, issue 21).
"""

from __future__ import annotations

import http.client as http_client
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What makes an answer's policy its own (django-csp's decorators set these on the response).
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
_EXEMPT_IN_DEBUG = (http_client.INTERNAL_SERVER_ERROR, http_client.NOT_FOUND)
# (policy, report-only policy, their excluded prefixes) built from the current settings.
_built: dict[str, Any] = {}


@receiver(setting_changed)
def _forget_built_policy(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _built.clear()


def _policies() -> dict[str, Any]:
    if not _built:
        enforced = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {}
        _built.update(
            csp=build_policy(),
            csp_ro=build_policy(report_only=True),
            prefixes=tuple(enforced.get("EXCLUDE_URL_PREFIXES", None) or ()),
            prefixes_ro=tuple(report_only.get("EXCLUDE_URL_PREFIXES", None) or ()),
            debug=settings.DEBUG,
            permissions=settings.PERMISSIONS_POLICY,
        )
    return _built


class SecurityHeadersMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        built = _policies()
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, a) for a in _OWN_POLICY):
            response = super().process_response(request, response)
        elif not (built["debug"] and response.status_code in _EXEMPT_IN_DEBUG):
            # What CSPMiddleware.process_response does, with the policies built once.
            path = request.path_info
            if (
                built["csp"]
                and HEADER not in response
                and not getattr(response, "_csp_exempt", False)
                and not path.startswith(built["prefixes"])
            ):
                response[HEADER] = built["csp"]
            if (
                built["csp_ro"]
                and HEADER_REPORT_ONLY not in response
                and not getattr(response, "_csp_exempt_ro", False)
            ) and not path.startswith(built["prefixes_ro"]):
                response[HEADER_REPORT_ONLY] = built["csp_ro"]
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        # (else, as django-csp: the debug pages of 404 and 500 get no policy)
        response.headers.setdefault("Permissions-Policy", built["permissions"])
        return response
