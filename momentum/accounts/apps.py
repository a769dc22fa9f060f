from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "momentum.accounts"
    label = "accounts"

    def ready(self) -> None:
        from momentum.accounts import allauth_events, channels, notification_mail, tokens
        from momentum.platform import request_limits

        allauth_events.connect()
        channels.register_channel("email", notification_mail.send_email)
        request_limits.read_bearer_tokens_with(tokens.subject_of)
