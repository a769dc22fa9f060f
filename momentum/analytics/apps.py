from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "momentum.analytics"
    label = "analytics"
