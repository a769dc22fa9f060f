"""Pages of the audit trail (studio)."""

from django.urls import URLPattern, URLResolver, path

from momentum.ops import audit_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("studio/audit/", audit_views.studio_audit, name="studio_audit"),
]
