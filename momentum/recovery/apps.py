from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "momentum.recovery"
    label = "recovery"
