from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "momentum.billing"
    label = "billing"
