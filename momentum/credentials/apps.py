from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "momentum.credentials"
    label = "credentials"
