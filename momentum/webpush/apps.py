from django.apps import AppConfig


class WebPushConfig(AppConfig):
    name = "momentum.webpush"
    label = "webpush"
