from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "momentum.accounts"
    label = "accounts"

    def ready(self) -> None:
        from momentum.accounts import allauth_events

        allauth_events.connect()
