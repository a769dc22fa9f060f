from django.apps import AppConfig


class XapiConfig(AppConfig):
    name = "momentum.xapi"
    label = "xapi"
