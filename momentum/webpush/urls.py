"""Pages of web push and the installable app."""

from django.urls import URLPattern, URLResolver, path

from momentum.webpush import views

app_name = "webpush"
urlpatterns: list[URLPattern | URLResolver] = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("profile/push/", views.push_settings, name="settings"),
    path("push/open/<uuid:token>/", views.open_push, name="open"),
]
