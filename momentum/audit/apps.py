from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "momentum.audit"
    label = "audit"
