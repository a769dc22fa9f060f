from django.apps import AppConfig


class WebPushConfig(AppConfig):
    name = "momentum.webpush"
    label = "webpush"

    def ready(self) -> None:
        from momentum.accounts.channels import register_channel
        from momentum.webpush.channel import send_push

        register_channel("push", send_push)  # do_notify's notices a learner wants pushed
