"""Pages of the accounts app; the studio's user pages are in studio_urls.py."""

from django.urls import URLPattern, URLResolver, path

from momentum.accounts import studio_urls, views

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("profile/", views.profile, name="profile"),
    path("profile/security/", views.security, name="security"),
    path("profile/security/end-app-sessions/", views.end_api_sessions, name="end_api_sessions"),
    path("profile/notifications/", views.notification_settings, name="notification_settings"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.read_notifications, name="read_notifications"),
    path("profile/privacy/", views.privacy_settings, name="privacy_settings"),
    path("profile/privacy/export/", views.export_data, name="export_data"),
    path("profile/privacy/delete/", views.delete_account, name="delete_account"),
    path("privacy/", views.privacy_policy, name="privacy"),
    path("terms/", views.terms, name="terms"),
    path("cookies/", views.cookie_consent, name="cookie_consent"),
    path("language/", views.set_language, name="set_language"),
    *studio_urls.urlpatterns,
]
