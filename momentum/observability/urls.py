"""Operational pages: probes, and (under studio/) the operator's views."""

from django.urls import URLPattern, URLResolver, path

from momentum.observability import studio_views, views

app_name = "observability"
urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
    path("studio/ops/", studio_views.studio_ops, name="studio_ops"),
    path("studio/ops/runs/", studio_views.studio_ops_runs, name="studio_ops_runs"),
    path("studio/ops/backups/", studio_views.studio_ops_backup, name="studio_ops_backup"),
    path("studio/ops/drills/", studio_views.studio_ops_drill, name="studio_ops_drill"),
    path("studio/ops/alarms/", studio_views.studio_ops_evaluate, name="studio_ops_evaluate"),
]
