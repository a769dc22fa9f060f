"""One trivial JSON view, for bench.stacks.bare_settings."""

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, path


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns: list[URLPattern] = [path("healthz", healthz)]
