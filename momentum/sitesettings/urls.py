"""The studio's site settings page."""

from django.urls import URLPattern, URLResolver, path

from momentum.sitesettings import views as settings_views

app_name = "sitesettings"
urlpatterns: list[URLPattern | URLResolver] = [
    path("studio/settings/", settings_views.site_settings, name="studio_settings"),
    path("studio/settings/email-check/", settings_views.email_check, name="studio_settings_email_check"),
]
