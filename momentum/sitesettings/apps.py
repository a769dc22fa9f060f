from django.apps import AppConfig


class SiteSettingsConfig(AppConfig):
    name = "momentum.sitesettings"
    label = "sitesettings"
