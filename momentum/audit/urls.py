"""Pages of the audit trail (studio)."""

from django.urls import URLPattern, URLResolver, path

from momentum.audit import views as audit_views

app_name = "audit"
urlpatterns: list[URLPattern | URLResolver] = [
    path("studio/audit/", audit_views.studio_audit, name="studio_audit"),
]
