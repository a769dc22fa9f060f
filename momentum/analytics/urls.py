"""Pages of the analytics app: the studio dashboard and the analytics page."""

from django.urls import URLPattern, URLResolver, path

from momentum.analytics import views

app_name = "analytics"
urlpatterns: list[URLPattern | URLResolver] = [
    path("studio/", views.dashboard, name="studio_dashboard"),
    path("studio/rollup/", views.rollup_now, name="studio_rollup"),
    path("studio/analytics/", views.analytics_page, name="studio_analytics"),
    path("studio/analytics/<slug:table>.csv", views.export_csv, name="studio_export"),
]
