"""Operational pages: liveness and readiness probes, Prometheus metrics."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from momentum.accounts.policy import Access, page_access
from momentum.observability import health, metrics_export


@page_access(Access.PUBLIC)
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@page_access(Access.PUBLIC)
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    ready, checks = health.readiness()
    status = ("degraded" if health.degraded(checks) else "ready") if ready else "unavailable"
    return JsonResponse({"status": status, "checks": checks}, status=200 if ready else 503)


# PUBLIC in the policy's terms: no account signs in here. Deployed profiles check the
# Prometheus bearer token (MOMENTUM_METRICS_TOKEN) or the caller's network instead.
@page_access(Access.PUBLIC)
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_export.allowed(request):
        response = HttpResponse("Forbidden: send the metrics bearer token or scrape from an allowed network.\n",
                                status=403, content_type="text/plain; charset=utf-8")  # fmt: skip
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics_export.render(), content_type=metrics_export.CONTENT_TYPE)
