"""Every URL Momentum answers: pages, the API, operational probes."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

from momentum.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("momentum.observability.urls")),
    path("", include("momentum.audit.urls")),
    path("", include("momentum.sitesettings.urls")),
    path("api/", api.urls),
    path("accounts/", include("momentum.accounts.allauth_urls")),
    path("", include("momentum.accounts.urls")),
    path("", include("momentum.catalog.urls")),
    path("", include("momentum.learning.urls")),
    path("", include("momentum.assessments.urls")),
    path("", include("momentum.discussions.urls")),
    path("", include("momentum.coursepackages.urls")),
    path("", include("momentum.achievements.urls")),
    path("", include("momentum.credentials.urls")),
    path("", include("momentum.billing.urls")),
    path("", include("momentum.generation.urls")),
    path("", include("momentum.analytics.urls")),
    path("", include("momentum.webpush.urls")),
    path("", include("momentum.lti.urls")),
]

handler400 = "momentum.platform.errors.bad_request"
handler403 = "momentum.platform.errors.forbidden"
handler404 = "momentum.platform.errors.not_found"
handler500 = "momentum.platform.errors.server_error"
handler429 = "momentum.platform.request_limits.handler429"  # allauth answers its rate limits through this

if settings.DEBUG or settings.IS_TEST:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
